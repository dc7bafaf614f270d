"""The SQLite writer queue (civic311/db/sqlite/base.py) overrides private methods of Django's SQLite
backend, so it is pinned to the releases it was tested with: the hooks it overrides still exist,
a second writer waits on the file lock while the first one's transaction is open (and starts
the moment it ends, by commit or by rollback), and other releases are refused by a check.

It opens connections of its own to a file of its own, so it runs whatever the test database is.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django
import pytest
from django.db import connections, transaction
from django.db.backends.sqlite3 import base as django_sqlite

from civic311.checks import writer_queue_problems
from civic311.db.sqlite import base

ALIAS = "writer_queue_test"


def test_this_django_is_one_the_queue_was_tested_with() -> None:
    assert django.VERSION[:2] in base.TESTED_DJANGO
    for hook in base.HOOKS:
        assert callable(getattr(django_sqlite.DatabaseWrapper, hook)), hook
        assert hook in vars(base.DatabaseWrapper), hook


def test_another_django_release_is_refused_by_a_check() -> None:
    queued = {"default": {"ENGINE": "civic311.db.sqlite", "NAME": "civic311.sqlite3"}}
    plain = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "civic311.sqlite3"}}
    assert [m.id for m in writer_queue_problems(queued, (9, 9, 0, "final", 0))] == ["civic311.E004"]
    assert writer_queue_problems(queued, django.VERSION) == []
    assert writer_queue_problems(plain, (9, 9, 0, "final", 0)) == []


@pytest.fixture
def queued_database(tmp_path: Path, django_db_blocker: Any) -> Iterator[str]:
    """An alias on a file database of its own, served by the writer-queue backend."""
    configured = connections.configure_settings(
        {
            "default": {"ENGINE": "django.db.backends.dummy"},
            ALIAS: {
                "ENGINE": "civic311.db.sqlite",
                "NAME": str(tmp_path / "queue.sqlite3"),
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            },
        }
    )
    connections.settings[ALIAS] = configured[ALIAS]
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE events (who TEXT, at REAL)")
        yield ALIAS
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def _second_writer(alias: str, started: list[float], done: threading.Event) -> None:
    try:
        with transaction.atomic(using=alias):
            started.append(time.monotonic())
            with connections[alias].cursor() as cursor:
                cursor.execute("INSERT INTO events VALUES ('second', ?)", [time.monotonic()])
    finally:
        connections[alias].close()
        done.set()


@pytest.mark.parametrize("ending", ["commit", "rollback", "close"])
def test_a_second_writer_waits_for_the_first_transaction_to_end(
    queued_database: str, ending: str
) -> None:
    alias = queued_database
    started: list[float] = []
    done = threading.Event()
    second = threading.Thread(target=_second_writer, args=(alias, started, done))
    # A rollback, or a connection closed with its transaction open (a worker going away): the
    # transaction ends without committing, and the lock must be let go all the same.
    with contextlib.suppress(RuntimeError), transaction.atomic(using=alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("INSERT INTO events VALUES ('first', ?)", [time.monotonic()])
        second.start()
        time.sleep(0.5)
        assert started == []
        assert _lock_is_held(alias)  # the second writer waits on the file lock
        ended_at = time.monotonic()
        if ending == "close":
            connections[alias].close()
            assert done.wait(10)
        elif ending == "rollback":
            raise RuntimeError("roll back")
    assert done.wait(10)
    assert started and started[0] >= ended_at
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT who FROM events ORDER BY at")
        rows = [who for (who,) in cursor.fetchall()]
    assert rows == (["first", "second"] if ending == "commit" else ["second"])
    assert not _lock_is_held(alias)


def _lock_is_held(alias: str) -> bool:
    """Whether some connection holds the writer lock beside the database file."""
    fd = os.open(str(connections.settings[alias]["NAME"]) + ".writelock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
