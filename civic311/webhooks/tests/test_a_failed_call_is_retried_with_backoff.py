"""A server error, a timeout-like status or an unreachable server is retried with backoff; the
delivery log (and the deliveries API) shows every attempt."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from civic311.apikeys.actions import IssuedKey
from civic311.choices import DeliveryStatus
from civic311.testing import Places, Services
from civic311.webhooks.models import Webhook, WebhookDelivery
from civic311.webhooks.tests.support import BASE, Receiver, bearer, register, run_worker, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_500_then_a_200_ends_delivered_after_two_attempts(
    client: Client, services: Services, places: Places, app_key: IssuedKey, receiver: Receiver
) -> None:
    hook = register(client, app_key, receiver, "/flaky", scope="own")
    receiver.answer("/flaky", 500)
    number = submit(client, app_key, places.ward2_near_north)

    run_worker()

    first, second = receiver.on("/flaky")
    assert first.body == second.body and first.signed and second.signed
    assert first.headers["Civic311-Delivery"] == second.json["id"]
    log = client.get(f"{BASE}/webhooks/{hook['id']}/deliveries.json", **bearer(app_key))
    assert log.status_code == 200
    [delivery] = log.json()
    assert delivery["service_request_id"] == number
    assert delivery["event"] == "request.opened"
    assert delivery["status"] == "delivered"
    assert delivery["attempts"] == 2
    assert delivery["response_status"] == 200
    assert delivery["response_body"] == "thanks"
    assert delivery["last_error"] is None
    assert delivery["delivered_datetime"] is not None


@pytest.mark.parametrize("status", [500, 503, 408, 429])
def test_it_gives_up_after_the_last_retry(
    client: Client,
    services: Services,
    places: Places,
    app_key: IssuedKey,
    receiver: Receiver,
    status: int,
) -> None:
    register(client, app_key, receiver, "/down", scope="own")
    receiver.answer("/down", status, status, status, status)
    submit(client, app_key, places.ward2_near_north)

    run_worker()

    assert len(receiver.on("/down")) == 3  # the first attempt and two retries (the settings)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert delivery.response_status == status
    assert delivery.response_body == "not now"
    assert delivery.last_error == f"HTTP {status}"


def test_retries_wait_by_the_backoff_schedule(
    client: Client,
    services: Services,
    places: Places,
    app_key: IssuedKey,
    receiver: Receiver,
    settings: Any,
) -> None:
    settings.WEBHOOK_RETRY_SECONDS = [30, 120]
    register(client, app_key, receiver, "/slow", scope="own")
    receiver.answer("/slow", 502)
    submit(client, app_key, places.ward2_near_north)
    before = timezone.now()

    run_worker()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.next_attempt_at is not None
    assert timedelta(seconds=29) <= delivery.next_attempt_at - before <= timedelta(seconds=40)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"] == [delivery.pk]
    assert retry.run_after == delivery.next_attempt_at

    # Thirty seconds later (moved, not waited): the retry goes out and is delivered.
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=before)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=before)
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert len(receiver.on("/slow")) == 2


def test_an_unreachable_server_is_retried_too(
    client: Client, services: Services, places: Places, app_key: IssuedKey, receiver: Receiver
) -> None:
    register(client, app_key, receiver, "/hook", scope="own")
    # Nothing listens on port 9 of this machine (discard): the connection is refused.
    Webhook.objects.update(url="http://127.0.0.1:9/hook")
    submit(client, app_key, places.ward2_near_north)

    run_worker()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert delivery.response_status is None
    assert "ConnectionRefusedError" in delivery.last_error
