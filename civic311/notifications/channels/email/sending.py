"""Sending one delivery by email, at least once and, outside one short window, exactly once.

The claim, the outcome and the retries are the shared seam in notifications/sending.py. Only a
worker killed after the server answered "250 accepted" and before the outcome commits (a few
milliseconds) causes a second copy, with the same Message-ID. SMTP and the database cannot
share a transaction, so that window can be made small, not empty.
"""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import get_connection
from django.utils import timezone
from django_tasks import task

from civic311.choices import NotificationStatus
from civic311.notifications.channels.email import message
from civic311.notifications.sending import (
    claim,
    current_status,
    finish,
    retry_or_fail,
    still_wanted,
)

log = logging.getLogger(__name__)


def is_temporary(exc: BaseException) -> bool:
    """Whether trying again later may work: 4xx replies, and every network failure."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (smtplib.SMTPServerDisconnected, OSError))


@task(queue_name="notifications")
def send_delivery(delivery_id: int) -> str:
    """Send one delivery; returns its status afterwards. Safe to run any number of times."""
    delivery = claim(delivery_id)
    if delivery is None:
        return current_status(delivery_id)
    if not still_wanted(delivery):
        finish(delivery, status=NotificationStatus.CANCELLED)
        return NotificationStatus.CANCELLED
    try:
        email = message.build(delivery)
    except Exception as exc:
        log.exception("delivery %s could not be built", delivery.pk)
        finish(delivery, status=NotificationStatus.FAILED, last_error=f"cannot build: {exc!r}")
        return NotificationStatus.FAILED
    connection = get_connection(fail_silently=False)
    try:
        connection.send_messages([email])
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if is_temporary(exc):
            log.info("delivery %s: temporary failure, will retry: %s", delivery.pk, error)
            return retry_or_fail(delivery, error, send_delivery)
        log.warning("delivery %s failed for good: %s", delivery.pk, error)
        finish(delivery, status=NotificationStatus.FAILED, last_error=error)
        return NotificationStatus.FAILED
    # The window: the server has the message; until this commits, a crash means a resend.
    finish(
        delivery,
        status=NotificationStatus.SENT,
        sent_at=timezone.now(),
        message_id=email.extra_headers["Message-ID"],
        last_error="",
    )
    return NotificationStatus.SENT
