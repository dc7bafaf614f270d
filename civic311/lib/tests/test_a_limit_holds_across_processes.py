"""Several real processes count hits on one key in the rate-limit store that settings give
them (files under the data directory by default, Redis with REDIS_URL): together they let
exactly the limit through, and every refusal says how long to wait."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from civic311.lib.ratelimit import WINDOW_SECONDS
from civic311.testing.servers import MANAGE

PROCESSES = 3
HITS_EACH = 40
LIMIT = 50

# Each process sets Django up, says "ready", waits for "go", then counts its hits at once.
COUNTER = """
import sys, django
django.setup()
from civic311.lib.ratelimit import hit
print("ready", flush=True)
sys.stdin.readline()
limit, hits = int(sys.argv[1]), int(sys.argv[2])
waits = [hit("post", "key-42", limit) for _ in range(hits)]
print(sum(w is None for w in waits), *sorted({w for w in waits if w is not None}), flush=True)
"""


def a_fresh_window(needed: float) -> None:
    left = WINDOW_SECONDS - time.time() % WINDOW_SECONDS
    if left < needed:
        time.sleep(left + 0.2)


@pytest.fixture(params=["files", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    env = {"CIVIC311_DATA_DIR": str(tmp_path), "REDIS_URL": ""}
    if request.param == "redis":
        env["REDIS_URL"] = request.getfixturevalue("fresh_redis_url")
    return env


def test_processes_sharing_the_store_let_exactly_the_limit_through(
    store: dict[str, str],
) -> None:
    env = {
        **os.environ,
        **store,
        "DJANGO_SETTINGS_MODULE": "civic311.settings",
        "SECRET_KEY": "test",
        "PYTHONPATH": str(MANAGE.parent),
    }
    command = [sys.executable, "-c", COUNTER, str(LIMIT), str(HITS_EACH)]
    counters = [
        subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(PROCESSES)
    ]
    try:
        for counter in counters:
            assert counter.stdout is not None
            assert counter.stdout.readline().strip() == "ready"
        a_fresh_window(needed=10)
        for counter in counters:
            assert counter.stdin is not None
            counter.stdin.write("go\n")
            counter.stdin.flush()
        answers = [counter.communicate(timeout=60)[0].split() for counter in counters]
    finally:
        for counter in counters:
            counter.kill()
            counter.wait()

    let_through = sum(int(answer[0]) for answer in answers)
    waits = [int(w) for answer in answers for w in answer[1:]]
    assert let_through == LIMIT
    assert waits and all(1 <= w <= WINDOW_SECONDS + 1 for w in waits)
