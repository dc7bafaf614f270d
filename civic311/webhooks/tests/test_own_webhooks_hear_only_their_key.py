"""A webhook with scope "own" hears about the requests its app submitted, not another app's nor
a resident's."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.apikeys.actions import IssuedKey
from civic311.choices import Channel
from civic311.service_requests import actions
from civic311.testing import Places, Services
from civic311.webhooks.models import WebhookDelivery
from civic311.webhooks.tests.support import Receiver, register, run_worker, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_another_apps_requests_do_not_reach_an_own_webhook(
    client: Client,
    services: Services,
    places: Places,
    app_key: IssuedKey,
    other_key: IssuedKey,
    receiver: Receiver,
) -> None:
    register(client, app_key, receiver, "/mine", scope="own")
    mine = submit(client, app_key, places.ward2_near_north)
    submit(client, other_key, places.ward2_near_north)
    lat, long = places.ward2_near_north
    actions.submit_request(
        service_code="street_light",
        channel=Channel.WEB,
        actor=actions.Actor.resident(),
        lat=lat,
        long=long,
        # The web form's source is never an app's name, but even if it were the same text:
        source="Chicago Works",
    )

    run_worker()

    calls = receiver.on("/mine")
    assert [c.json["service_request"]["service_request_id"] for c in calls] == [mine]
    assert WebhookDelivery.objects.count() == 1
