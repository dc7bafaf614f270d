"""Real servers for tests that need more than one process: a Redis server of the test run's
own, and Civic311 served the production way (`manage.py serve`: gunicorn, several workers) on
the test database. Tests using `serving` need `django_db(transaction=True)`: the server's
processes see only what is committed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connections

from civic311.testing.mail import free_port

MANAGE = Path(settings.BASE_DIR) / "manage.py"
# Installed by .ci/run (Debian's redis-server) when missing: a missing server fails, never skips.
REDIS_SERVER = "/usr/bin/redis-server"


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Redis server on a free port, for this test run only; empty when a test gets it."""
    directory = tmp_path_factory.mktemp("redis")
    port = free_port()
    log = directory / "redis.log"
    command = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(directory)]
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, log)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)


@pytest.fixture
def fresh_redis_url(redis_url: str) -> str:
    redis.Redis.from_url(redis_url).flushall()
    return redis_url


def database_url() -> str:
    """The test database, as DATABASE_URL, for a process of its own."""
    db = connections["default"].settings_dict
    if "sqlite" in str(db["ENGINE"]):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"


@contextmanager
def serving(env: dict[str, str], log: Path, *, workers: int = 3) -> Iterator[str]:
    """Civic311 under gunicorn with `workers` workers (all booted) and no task worker, with
    `env` over the test database's settings; yields its base URL."""
    port = free_port()
    command = [sys.executable, str(MANAGE), "serve", "--no-worker", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers)]
    full_env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
        "GUNICORN_ACCESS_LOG": str(log.with_suffix(".access.log")),
        **env,
    }
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, env=full_env, stdout=out, stderr=subprocess.STDOUT, cwd=MANAGE.parent
        )
    try:
        _wait_for_port(port, process, log)
        deadline = time.monotonic() + 60
        while log.read_text().count("Booting worker") < workers:
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)
