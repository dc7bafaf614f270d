"""Serve Civic311 the production way (gunicorn) together with its task worker, until Ctrl-C.

`make run` uses this. The two processes are started and stopped together: if either dies, the
other is stopped too, so a demo never runs without its worker (mail would silently pile up).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the web app (gunicorn) and the task worker until interrupted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")))
        parser.add_argument("--no-worker", action="store_true", help="Do not start the worker.")

    def handle(
        self, *args: Any, host: str, port: int, workers: int, no_worker: bool, **options: Any
    ) -> None:
        commands = [_web(host, port, workers)] + ([] if no_worker else _background())
        processes = [subprocess.Popen(command) for command in commands]
        self.stdout.write(f"Civic311 is at http://{host}:{port}/  (Ctrl-C stops it)")
        stopping = _supervise(processes)
        failed = [p.args for p in processes if p.returncode not in (0, -signal.SIGTERM, None)]
        if failed and not stopping:
            self.stderr.write(f"stopped because a process exited: {failed}")
            sys.exit(1)


def _web(host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "civic311.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--config",
        "python:civic311.gunicorn_conf",
    ]


def _background() -> list[list[str]]:
    manage = [sys.executable, "manage.py"]
    return [
        [*manage, "db_worker", "--queue-name", "*", "--interval", "0.5"],
        # The sweep recovers what a killed worker left half-done (docs/notifications.md).
        [*manage, "notifications_sweep", "--every", "60"],
        # Each department's daily SLA digest, at 07:00 in the city (docs/staff.md).
        [*manage, "send_sla_digest", "--every", "60", "--at", "07:00", "--enqueue"],
    ]


def _supervise(processes: list[subprocess.Popen[bytes]]) -> bool:
    """Waits until a signal asks to stop (returns True) or a process exits (False), then stops
    them all, killing what does not stop within ten seconds."""
    stopping = False

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.3)
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
    return stopping
