"""A temporary refusal (4xx, server down) is retried later with growing waits; a permanent one
(5xx) is recorded at once as failed, with the server's answer, where staff can see it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from civic311.choices import NotificationStatus
from civic311.notifications.models import Delivery
from civic311.notifications.sending import backoff
from civic311.testing.mail import Mailbox, run_worker, submit_with_email

pytestmark = pytest.mark.django_db(transaction=True)


def _time_passes() -> None:
    """Make every delayed task and delivery due now."""
    now = timezone.now()
    DBTaskResult.objects.filter(status="READY").update(run_after=now)
    Delivery.objects.filter(status=NotificationStatus.PENDING).update(next_attempt_at=now)


def test_a_temporary_refusal_is_retried_after_a_wait(
    services: Any, places: Any, mailbox: Mailbox, settings: Any
) -> None:
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    mailbox.replies = ["451 4.3.0 Try again later"]
    submit_with_email(places, "rosa@example.org")

    before = timezone.now()
    run_worker()

    assert mailbox.messages == []
    delivery = Delivery.objects.get()
    assert delivery.status == NotificationStatus.PENDING
    assert delivery.attempts == 1
    assert "451" in delivery.last_error
    assert delivery.next_attempt_at >= before + timedelta(seconds=60)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == delivery.next_attempt_at

    _time_passes()
    run_worker()

    assert len(mailbox.messages) == 1
    delivery.refresh_from_db()
    assert delivery.status == NotificationStatus.SENT
    assert delivery.attempts == 2


def test_the_wait_doubles_with_each_attempt(settings: Any) -> None:
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(30) == timedelta(hours=6)


def test_an_unreachable_server_is_retried_until_the_attempts_run_out(
    services: Any, places: Any, mailbox: Mailbox, settings: Any
) -> None:
    settings.NOTIFY_RETRY_BASE_SECONDS = 0
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.EMAIL_PORT = 1  # nothing listens there: connection refused
    submit_with_email(places, "rosa@example.org")

    run_worker()

    delivery = Delivery.objects.get()
    assert delivery.status == NotificationStatus.FAILED
    assert delivery.attempts == 3
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error


def test_a_permanent_refusal_is_recorded_and_shown_to_staff(
    services: Any, places: Any, mailbox: Mailbox
) -> None:
    mailbox.replies = ["550 5.1.1 No such mailbox"]
    request = submit_with_email(places, "nobody@example.org")

    run_worker()

    delivery = Delivery.objects.get()
    assert delivery.status == NotificationStatus.FAILED
    assert delivery.attempts == 1
    assert "550" in delivery.last_error and "No such mailbox" in delivery.last_error
    assert mailbox.messages == []

    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x" * 16)
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/notifications/delivery/", {"status__exact": "failed"})
    assert page.status_code == 200
    assert request.tracking_number.encode() in page.content
    assert b"No such mailbox" in page.content

    # Staff can send it again once the address is fixed on the other side.
    client.post(
        "/admin/notifications/delivery/",
        {"action": "send_again", "_selected_action": [delivery.pk]},
    )
    run_worker()
    assert len(mailbox.messages) == 1
