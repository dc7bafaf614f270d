"""Sending one delivery by text message, through the provider seam (civic311/messaging/provider.py).

The claim, the outcome and the retries are the shared seam in notifications/sending.py, as for
email. On top: nothing goes to a number that opted out (STOP), whatever it follows; and at
most SMS_MAX_PER_NUMBER_PER_HOUR texts go to one number in an hour: more wait (not counted as
an attempt) rather than flood a phone when a ward's requests close at once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks import task

from civic311.choices import NotificationStatus, SubscriptionChannel
from civic311.messaging.models import Direction, Message, Phone
from civic311.messaging.provider import SendError, get_provider
from civic311.notifications.channels.sms import message
from civic311.notifications.models import Delivery
from civic311.notifications.sending import (
    claim,
    current_status,
    finish,
    postpone,
    retry_or_fail,
    still_wanted,
)

log = logging.getLogger(__name__)

HOUR = timedelta(hours=1)


def _opted_out(number: str) -> bool:
    return Phone.objects.filter(number=number, opted_out_at__isnull=False).exists()


def _sent_last_hour(number: str) -> tuple[int, datetime | None]:
    """How many texts went to `number` in the last hour, and when the first of them went."""
    found = Delivery.objects.filter(
        subscription__channel=SubscriptionChannel.SMS,
        subscription__address=number,
        status=NotificationStatus.SENT,
        sent_at__gte=timezone.now() - HOUR,
    ).aggregate(count=Count("id"), oldest=Min("sent_at"))
    return int(found["count"]), found["oldest"]


def _record(number: str, body: str, delivery: Delivery) -> None:
    """The text joins the request's transcript, for staff."""
    phone = Phone.objects.filter(number=number).first()
    if phone is None:
        return
    request = delivery.entry.request if delivery.entry is not None else None
    Message.objects.create(
        phone=phone,
        direction=Direction.OUT,
        body=body,
        dialog=phone.dialog,
        request=request or delivery.subscription.request,
    )


@task(queue_name="notifications")
def send_delivery(delivery_id: int) -> str:
    """Send one delivery by SMS; returns its status afterwards. Safe to run any number of times."""
    delivery = claim(delivery_id)
    if delivery is None:
        return current_status(delivery_id)
    number = delivery.subscription.address
    if not still_wanted(delivery) or _opted_out(number):
        finish(delivery, status=NotificationStatus.CANCELLED)
        return NotificationStatus.CANCELLED
    sent, oldest = _sent_last_hour(number)
    if sent >= settings.SMS_MAX_PER_NUMBER_PER_HOUR and oldest is not None:
        until = oldest + HOUR
        return postpone(delivery, until, send_delivery, "rate limit: too many texts this hour")
    try:
        body = message.build(delivery)
    except Exception as exc:
        log.exception("delivery %s could not be built", delivery.pk)
        finish(delivery, status=NotificationStatus.FAILED, last_error=f"cannot build: {exc!r}")
        return NotificationStatus.FAILED
    try:
        sid = get_provider().send(to=number, body=body)
    except SendError as exc:
        error = str(exc)[:2000]
        if exc.temporary:
            log.info("delivery %s: temporary failure, will retry: %s", delivery.pk, error)
            return retry_or_fail(delivery, error, send_delivery)
        log.warning("delivery %s failed for good: %s", delivery.pk, error)
        finish(delivery, status=NotificationStatus.FAILED, last_error=error)
        return NotificationStatus.FAILED
    # The window: the provider has the text; until this commits, a crash means a resend.
    with transaction.atomic():
        if finish(
            delivery,
            status=NotificationStatus.SENT,
            sent_at=timezone.now(),
            message_id=sid,
            last_error="",
        ):
            _record(number, body, delivery)
    return NotificationStatus.SENT
