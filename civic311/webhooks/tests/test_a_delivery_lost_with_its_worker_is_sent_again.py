"""A webhook delivery whose worker died mid-call is sent again by the sweep, once the claim's
lease has run out. Webhooks are at least once: the app may see the same event id twice and
deduplicates on it (docs/api.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from civic311.apikeys.actions import IssuedKey
from civic311.choices import DeliveryStatus
from civic311.notifications.sweep import sweep
from civic311.testing import Places, Services
from civic311.webhooks.models import WebhookDelivery
from civic311.webhooks.tests.support import Receiver, register, run_worker, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_delivery_left_sending_by_a_dead_worker_is_delivered_by_the_sweep(
    client: Client,
    services: Services,
    places: Places,
    app_key: IssuedKey,
    receiver: Receiver,
    settings: Any,
) -> None:
    settings.NOTIFY_SENDING_TIMEOUT_SECONDS = 300
    register(client, app_key, receiver, "/hook", scope="own")
    submit(client, app_key, places.ward2_near_north)
    run_worker()
    delivery = WebhookDelivery.objects.get()
    # Replay a worker that claimed the delivery and its task, called the app, and died before
    # recording the answer.
    long_ago = timezone.now() - timedelta(seconds=301)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, next_attempt_at=long_ago
    )
    DBTaskResult.objects.filter(task_path__endswith="deliver_webhook").update(
        status="RUNNING", started_at=long_ago
    )

    assert sweep().lost_tasks == 1
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    first, again = receiver.on("/hook")
    assert again.signed
    assert again.json["id"] == first.json["id"] == str(delivery.pk)
