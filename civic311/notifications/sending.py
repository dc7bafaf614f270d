"""Sending one delivery, whatever the channel: the claim and the outcome, shared by every sender
(channels/email/sending.py, channels/sms/sending.py).

1. `claim`: in its own committed transaction, `pending` -> `sending`, attempts + 1. A second run
   of the task (a task runs at least once) finds the row claimed or sent and does nothing.
2. The channel talks to its server (SMTP, the SMS provider).
3. `finish` records `sent` (or `failed`), `retry_or_fail` schedules a retry with backoff, and
   `postpone` puts it off without counting an attempt (a rate limit), each in a second
   transaction that only applies while the row is still this worker's claim.

A worker killed between 1 and 3 leaves the row `sending`: the sweep (sweep.py) hands it back to
`pending` after NOTIFY_SENDING_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks.base import Task

from civic311.choices import NotificationKind, NotificationStatus
from civic311.notifications.models import Delivery
from civic311.notifications.outbox import enqueue_in_transaction

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: base, 2 x base, 4 x base … at most six hours."""
    base = timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS)
    return min(base * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def claim(delivery_id: int) -> Delivery | None:
    """The delivery, now `sending` and this worker's; None if it is not due or not pending."""
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


def current_status(delivery_id: int) -> str:
    found = Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
    return found or "missing"


def finish(delivery: Delivery, **changes: object) -> bool:
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


def _back_to_pending(
    delivery: Delivery, task: Task[..., Any], run_after: datetime, **changes: object
) -> None:
    with transaction.atomic():
        updated = Delivery.objects.filter(
            pk=delivery.pk, status=NotificationStatus.SENDING, attempts=delivery.attempts
        ).update(status=NotificationStatus.PENDING, next_attempt_at=run_after, **changes)
        if updated:
            enqueue_in_transaction(task.using(run_after=run_after), delivery.pk)


def retry_or_fail(delivery: Delivery, error: str, task: Task[..., Any]) -> str:
    """After a temporary failure: `task` again after the backoff, or `failed` when the attempts
    are used up. Returns the delivery's status."""
    if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        finish(delivery, status=NotificationStatus.FAILED, last_error=error)
        return NotificationStatus.FAILED
    _back_to_pending(delivery, task, timezone.now() + backoff(delivery.attempts), last_error=error)
    return NotificationStatus.PENDING


def postpone(delivery: Delivery, until: datetime, task: Task[..., Any], reason: str) -> str:
    """Send it later without counting this attempt (a rate limit, not a failure)."""
    _back_to_pending(delivery, task, until, attempts=F("attempts") - 1, last_error=reason)
    return NotificationStatus.PENDING


def still_wanted(delivery: Delivery) -> bool:
    subscription = delivery.subscription
    if subscription.unsubscribed_at is not None:
        return False
    if delivery.kind == NotificationKind.CONFIRM:
        return subscription.confirmed_at is None
    return True
