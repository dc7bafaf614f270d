"""The sweep finds work a dead worker left half done, once it is older than the sending
timeout, and leaves younger work (a worker that is merely slow) alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from civic311.choices import NotificationStatus
from civic311.notifications.models import Delivery
from civic311.notifications.sweep import sweep
from civic311.testing import Places, Services
from civic311.testing.mail import Mailbox, run_worker, submit_with_email

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_event_whose_worker_died_mid_dispatch_is_dispatched_again(
    services: Services, places: Places, mailbox: Mailbox, settings: Any
) -> None:
    settings.NOTIFY_SENDING_TIMEOUT_SECONDS = 300
    submit_with_email(places, "rosa@example.org")
    # A worker claimed the dispatch task, then died before finishing it.
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    run_worker()
    assert mailbox.messages == []

    assert sweep().lost_tasks == 0  # too recent: its worker may only be slow
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(seconds=301))
    assert sweep().lost_tasks == 1
    run_worker()

    assert len(mailbox.messages) == 1
    lost = DBTaskResult.objects.get(status="FAILED")
    assert lost.exception_class_path.endswith("WorkerLost")


def test_a_delivery_stuck_in_sending_is_sent_again_only_after_the_timeout(
    services: Services, places: Places, mailbox: Mailbox, settings: Any
) -> None:
    settings.NOTIFY_SENDING_TIMEOUT_SECONDS = 300
    submit_with_email(places, "rosa@example.org")
    run_worker()
    mailbox.messages.clear()
    # As if the worker had died while the server was still answering.
    claimed = timezone.now() - timedelta(seconds=100)
    Delivery.objects.update(status=NotificationStatus.SENDING, claimed_at=claimed, sent_at=None)

    assert sweep().stalled_sends == 0
    Delivery.objects.update(claimed_at=timezone.now() - timedelta(seconds=301))
    assert sweep().stalled_sends == 1
    run_worker()

    assert len(mailbox.messages) == 1
    delivery = Delivery.objects.get()
    assert delivery.status == NotificationStatus.SENT
    assert delivery.attempts == 2
