"""Sending one delivery by email, at least once and, outside one short window, exactly once.

1. Claim: in its own committed transaction, `pending` -> `sending`, attempts + 1. A second run
   of the task (a task runs at least once) finds the row claimed or sent and does nothing.
2. Talk to the mail server.
3. Mark `sent` (or schedule a retry, or `failed`) in a second transaction.

A worker killed before 2 completes leaves the row `sending` and the message undelivered: the
sweep (sweep.py) hands it back to `pending` after NOTIFY_SENDING_TIMEOUT_SECONDS and it is sent
once. Only a worker killed after the server answered "250 accepted" and before step 3 commits
(a few milliseconds) causes a second copy, with the same Message-ID. SMTP and the database
cannot share a transaction, so that window can be made small, not empty.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from civic311.choices import NotificationKind, NotificationStatus
from civic311.notifications.channels.email import message
from civic311.notifications.models import Delivery
from civic311.notifications.outbox import enqueue_in_transaction

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)


class PermanentFailure(Exception):
    """The server refused for good (5xx), or the message cannot be built."""


def is_temporary(exc: BaseException) -> bool:
    """Whether trying again later may work: 4xx replies, and every network failure."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (smtplib.SMTPServerDisconnected, OSError))


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: base, 2 x base, 4 x base … at most six hours."""
    base = timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS)
    return min(base * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _claim(delivery_id: int) -> Delivery | None:
    now = timezone.now()
    with transaction.atomic():
        claimed = Delivery.objects.filter(
            pk=delivery_id, status=NotificationStatus.PENDING, next_attempt_at__lte=now
        ).update(status=NotificationStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return None
    return Delivery.objects.select_related(
        "subscription", "subscription__request", "subscription__request__service", "entry"
    ).get(pk=delivery_id)


def _finish(delivery: Delivery, **changes: object) -> bool:
    """Record the outcome, unless the sweep took the row over in the meantime."""
    with transaction.atomic():
        updated = Delivery.objects.filter(
            pk=delivery.pk,
            status=NotificationStatus.SENDING,
            attempts=delivery.attempts,
            claimed_at=delivery.claimed_at,
        ).update(**changes)
    if not updated:
        log.warning("delivery %s was taken over while it was being sent", delivery.pk)
    return bool(updated)


def _retry_or_fail(delivery: Delivery, error: str) -> str:
    if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        _finish(delivery, status=NotificationStatus.FAILED, last_error=error)
        return NotificationStatus.FAILED
    run_after = timezone.now() + backoff(delivery.attempts)
    with transaction.atomic():
        updated = Delivery.objects.filter(
            pk=delivery.pk, status=NotificationStatus.SENDING, attempts=delivery.attempts
        ).update(status=NotificationStatus.PENDING, next_attempt_at=run_after, last_error=error)
        if updated:
            enqueue_in_transaction(send_delivery.using(run_after=run_after), delivery.pk)
    return NotificationStatus.PENDING


def _still_wanted(delivery: Delivery) -> bool:
    subscription = delivery.subscription
    if subscription.unsubscribed_at is not None:
        return False
    if delivery.kind == NotificationKind.CONFIRM:
        return subscription.confirmed_at is None
    return True


@task(queue_name="notifications")
def send_delivery(delivery_id: int) -> str:
    """Send one delivery; returns its status afterwards. Safe to run any number of times."""
    delivery = _claim(delivery_id)
    if delivery is None:
        current = Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
        return current or "missing"
    if not _still_wanted(delivery):
        _finish(delivery, status=NotificationStatus.CANCELLED)
        return NotificationStatus.CANCELLED
    try:
        email = message.build(delivery)
    except Exception as exc:
        log.exception("delivery %s could not be built", delivery.pk)
        _finish(delivery, status=NotificationStatus.FAILED, last_error=f"cannot build: {exc!r}")
        return NotificationStatus.FAILED
    connection = get_connection(fail_silently=False)
    try:
        connection.send_messages([email])
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if is_temporary(exc):
            log.info("delivery %s: temporary failure, will retry: %s", delivery.pk, error)
            return _retry_or_fail(delivery, error)
        log.warning("delivery %s failed for good: %s", delivery.pk, error)
        _finish(delivery, status=NotificationStatus.FAILED, last_error=error)
        return NotificationStatus.FAILED
    # The window: the server has the message; until this commits, a crash means a resend.
    _finish(
        delivery,
        status=NotificationStatus.SENT,
        sent_at=timezone.now(),
        message_id=email.extra_headers["Message-ID"],
        last_error="",
    )
    return NotificationStatus.SENT
