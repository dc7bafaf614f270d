"""The delivery log costs the same few queries for one delivery or a hundred."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from civic311.apikeys.actions import IssuedKey
from civic311.choices import Channel
from civic311.service_requests import actions as requests
from civic311.testing import Places, Services
from civic311.webhooks import actions
from civic311.webhooks.models import Webhook
from civic311.webhooks.tests.support import BASE, bearer

pytestmark = pytest.mark.django_db


def test_the_log_of_many_deliveries_is_a_constant_number_of_queries(
    client: Client,
    services: Services,
    places: Places,
    app_key: IssuedKey,
    django_assert_max_num_queries: Any,
) -> None:
    hook = actions.register_webhook(
        api_key=app_key.record, url="https://hooks.example.org/x", scope="own"
    )
    lat, long = places.ward2_near_north
    for _ in range(30):
        request = requests.submit_request(
            service_code="street_light",
            channel=Channel.WEB,
            actor=requests.Actor.resident(),
            lat=lat,
            long=long,
        ).request
        entry = request.timeline.get()
        actions.record_delivery(webhook=hook, entry=entry, event={"type": entry.type})

    with django_assert_max_num_queries(3):  # the key, the webhook, the log
        log = client.get(f"{BASE}/webhooks/{hook.pk}/deliveries.json", **bearer(app_key))

    assert log.status_code == 200 and len(log.json()) == 30
    assert Webhook.objects.count() == 1
