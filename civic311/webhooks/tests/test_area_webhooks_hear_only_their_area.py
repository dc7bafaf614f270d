"""A webhook with scope "area" hears about every request in its ward (or community area, ZIP
code, bounding box), whoever submitted it, and about no other."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.apikeys.actions import IssuedKey
from civic311.choices import Channel
from civic311.service_requests import actions
from civic311.testing import Places, Services
from civic311.webhooks.tests.support import Receiver, register, run_worker, submit

pytestmark = pytest.mark.django_db(transaction=True)


def _resident_reports(where: tuple[float, float]) -> str:
    lat, long = where
    return actions.submit_request(
        service_code="street_light",
        channel=Channel.WEB,
        actor=actions.Actor.resident(),
        lat=lat,
        long=long,
    ).request.tracking_number


def test_a_ward_webhook_hears_about_requests_in_its_ward_only(
    client: Client,
    services: Services,
    places: Places,
    app_key: IssuedKey,
    other_key: IssuedKey,
    receiver: Receiver,
) -> None:
    register(client, app_key, receiver, "/ward2", scope="area", area_kind="ward", area_code="2")
    in_ward_2 = _resident_reports(places.ward2_near_north)
    from_another_app = submit(client, other_key, places.ward2_near_north)
    _resident_reports(places.ward1_near_west)
    submit(client, other_key, places.ward1_near_west)

    run_worker()

    calls = receiver.on("/ward2")
    assert all(c.signed for c in calls)
    numbers = [c.json["service_request"]["service_request_id"] for c in calls]
    assert sorted(numbers) == sorted([in_ward_2, from_another_app])
    assert {c.json["service_request"]["extended_attributes"]["ward"] for c in calls} == {"2"}


def test_community_area_and_bounding_box_webhooks(
    client: Client, services: Services, places: Places, app_key: IssuedKey, receiver: Receiver
) -> None:
    register(
        client,
        app_key,
        receiver,
        "/near-west",
        scope="area",
        area_kind="community_area",
        area_code="28",
    )
    # A box around the ward 2 point only (minLong,minLat,maxLong,maxLat).
    register(client, app_key, receiver, "/box", scope="area", bbox="-87.63,41.89,-87.61,41.91")
    west = _resident_reports(places.ward1_near_west)
    north = _resident_reports(places.ward2_near_north)

    run_worker()

    assert [c.json["service_request"]["service_request_id"] for c in receiver.on("/near-west")] == [
        west
    ]
    assert [c.json["service_request"]["service_request_id"] for c in receiver.on("/box")] == [north]
