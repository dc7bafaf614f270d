"""The worker is killed (SIGKILL) in the middle of a batch, while the mail server is still
answering one message; after the sweep and a restart, every follower has exactly one email.

Deterministic: the SMTP server holds the third message until the test has killed the worker, so
the kill always lands inside an SMTP conversation, after two messages were delivered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from civic311.choices import NotificationStatus
from civic311.notifications.models import Delivery
from civic311.testing import Places, Services
from civic311.testing.mail import Mailbox, submit_with_email

pytestmark = pytest.mark.django_db(transaction=True)

MANAGE = Path(settings.BASE_DIR) / "manage.py"
FOLLOWERS = [f"resident{i}@example.org" for i in range(1, 7)]


def database_url() -> str:
    """The test database, as DATABASE_URL, for a worker in another process."""
    db = connections["default"].settings_dict
    if "sqlite" in db["ENGINE"]:
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"


def start_worker(mailbox: Mailbox, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mailbox.port),
        "EMAIL_TIMEOUT": "30",
        "SITE_URL": settings.SITE_URL,
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "NOTIFY_RETRY_BASE_SECONDS": "0",
    }
    command = [sys.executable, str(MANAGE), "db_worker", "--queue-name", "*", "--no-reload"]
    command += ["--interval", "0.05", "--no-startup-delay", *extra]
    with log.open("ab") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def test_a_worker_killed_mid_send_delivers_every_email_exactly_once(
    services: Services, places: Places, mailbox: Mailbox, tmp_path: Path, settings: Any
) -> None:
    for address in FOLLOWERS:
        submit_with_email(places, address)
    mailbox.hold_message(3)
    log = tmp_path / "worker.log"
    started = time.monotonic()

    worker = start_worker(mailbox, log)
    try:
        assert mailbox.held.wait(timeout=60), log.read_text()
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    mailbox.release.set()

    assert len(mailbox.messages) == 2
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    # The deliveries dispatched before the kill: two sent, one caught mid-send.
    assert statuses.count(NotificationStatus.SENT) == 2
    assert statuses.count(NotificationStatus.SENDING) == 1

    # What a periodic `notifications_sweep` does once the sending timeout has passed (zero
    # here, as the worker is known to be dead), then the worker starts again.
    call_command("notifications_sweep", "--timeout", "0", verbosity=0)
    restarted = start_worker(mailbox, log, "--batch")
    assert restarted.wait(timeout=120) == 0, log.read_text()
    elapsed = time.monotonic() - started

    received = sorted(m["To"] for m in mailbox.messages)
    assert received == sorted(FOLLOWERS), log.read_text()
    assert set(Delivery.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}
    interrupted = Delivery.objects.get(attempts=2)
    assert interrupted.last_error == ""

    # Sweeping and running again finds nothing left to do.
    call_command("notifications_sweep", "--timeout", "0", verbosity=0)
    again = start_worker(mailbox, log, "--batch")
    assert again.wait(timeout=120) == 0
    assert len(mailbox.messages) == len(FOLLOWERS)
    print(f"kill-and-restart took {elapsed:.1f}s")
