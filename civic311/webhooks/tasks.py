"""Sending one delivery: claim it, POST it signed, record the answer, retry later if worth it.

Idempotent: a delivered or failed delivery is never sent again, and a claim (one conditional
UPDATE) keeps two workers from sending the same attempt. A worker that dies mid-attempt leaves
the delivery "sending" with its lease in `next_attempt_at`; a later task for it may take it over
once the lease has passed.
"""

from __future__ import annotations

import http.client
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from civic311.choices import DeliveryStatus
from civic311.notifications.outbox import enqueue_in_transaction
from civic311.webhooks import addresses, sender, signing
from civic311.webhooks.models import WebhookDelivery

log = logging.getLogger(__name__)

USER_AGENT = "Civic311-Webhooks/1"
RETRY_STATUSES = frozenset({408, 429})
MAX_ERROR = 500


def _claim(delivery_id: int) -> WebhookDelivery | None:
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 3 + 30)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = (
        WebhookDelivery.objects.filter(
            pk=delivery_id, status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING)
        )
        .filter(due)
        .update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=lease)
    )
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("webhook", "webhook__api_key").get(pk=delivery_id)


def _record(delivery: WebhookDelivery, **fields: Any) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)


def _retry_or_fail(delivery: WebhookDelivery, **fields: Any) -> str:
    schedule: list[int] = list(settings.WEBHOOK_RETRY_SECONDS)
    if delivery.attempts > len(schedule):
        _record(delivery, status=DeliveryStatus.FAILED, next_attempt_at=None, **fields)
        return DeliveryStatus.FAILED.value
    run_after = timezone.now() + timedelta(seconds=schedule[delivery.attempts - 1])
    with transaction.atomic():
        _record(delivery, status=DeliveryStatus.PENDING, next_attempt_at=run_after, **fields)
        enqueue_in_transaction(deliver_webhook.using(run_after=run_after), delivery.pk)
    return DeliveryStatus.PENDING.value


def _headers(delivery: WebhookDelivery, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Civic311-Delivery": str(delivery.pk),
        "Civic311-Event": delivery.event,
        signing.HEADER: signing.signature(delivery.webhook.secret, body),
    }


@task(queue_name="notifications")
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at one delivery; answers the delivery's status after it (or "skipped")."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return "skipped"  # delivered, failed, deleted, not due yet, or another worker has it
    hook = delivery.webhook
    if not hook.active or not hook.api_key.is_usable:
        _record(
            delivery,
            status=DeliveryStatus.FAILED,
            next_attempt_at=None,
            last_error="The webhook was deactivated or its API key revoked.",
        )
        return DeliveryStatus.FAILED.value
    body = delivery.body.encode("utf-8")
    try:
        answer = sender.post(hook.url, body, _headers(delivery, body))
    except addresses.Refused as refused:
        _record(
            delivery,
            status=DeliveryStatus.FAILED,
            next_attempt_at=None,
            response_status=None,
            response_body="",
            last_error=f"Refused: {refused}"[:MAX_ERROR],
        )
        return DeliveryStatus.FAILED.value
    except (OSError, http.client.HTTPException) as error:
        log.info("webhook delivery %s: %s", delivery.pk, type(error).__name__)
        described = f"{type(error).__name__}: {error}"[:MAX_ERROR]
        return _retry_or_fail(
            delivery, response_status=None, response_body="", last_error=described
        )
    answered: dict[str, Any] = {"response_status": answer.status, "response_body": answer.body}
    if 200 <= answer.status < 300:
        _record(
            delivery,
            status=DeliveryStatus.DELIVERED,
            next_attempt_at=None,
            delivered_at=timezone.now(),
            last_error="",
            **answered,
        )
        return DeliveryStatus.DELIVERED.value
    if answer.status >= 500 or answer.status in RETRY_STATUSES:
        return _retry_or_fail(delivery, last_error=f"HTTP {answer.status}", **answered)
    # Redirects are not followed, and a 4xx means the app does not want this call: stop.
    _record(
        delivery,
        status=DeliveryStatus.FAILED,
        next_attempt_at=None,
        last_error=f"HTTP {answer.status} (not retried)",
        **answered,
    )
    return DeliveryStatus.FAILED.value
