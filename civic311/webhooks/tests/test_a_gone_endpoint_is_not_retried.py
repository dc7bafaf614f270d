"""A 4xx (other than 408 and 429) is the app saying no: the delivery fails at once."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.apikeys.actions import IssuedKey
from civic311.choices import DeliveryStatus
from civic311.testing import Places, Services
from civic311.webhooks.models import WebhookDelivery
from civic311.webhooks.tests.support import Receiver, register, run_worker, submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("status", [410, 400, 404])
def test_a_client_error_fails_the_delivery_without_retrying(
    client: Client,
    services: Services,
    places: Places,
    app_key: IssuedKey,
    receiver: Receiver,
    status: int,
) -> None:
    register(client, app_key, receiver, "/gone", scope="own")
    receiver.answer("/gone", status)
    submit(client, app_key, places.ward2_near_north)

    run_worker()

    assert len(receiver.on("/gone")) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert delivery.response_status == status
    assert delivery.next_attempt_at is None
    assert "not retried" in delivery.last_error
