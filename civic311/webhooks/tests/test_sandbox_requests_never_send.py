"""Requests made with a test key are sandbox requests: no webhook ever hears about them."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.apikeys.actions import IssuedKey
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services
from civic311.webhooks.models import WebhookDelivery
from civic311.webhooks.tests.support import Receiver, register, run_worker, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_test_requests_reach_no_webhook(
    client: Client,
    services: Services,
    places: Places,
    app_key: IssuedKey,
    test_key: IssuedKey,
    receiver: Receiver,
) -> None:
    register(client, app_key, receiver, "/ward2", scope="area", area_kind="ward", area_code="2")
    register(client, test_key, receiver, "/sandbox-own", scope="own")
    number = submit(client, test_key, places.ward2_near_north)
    assert ServiceRequest.objects.get(tracking_number=number).is_test

    run_worker()

    assert receiver.calls == []
    assert not WebhookDelivery.objects.exists()
