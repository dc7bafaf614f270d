"""Public lists and the catalogue are answered from a short-lived cache; one request never is."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from civic311.choices import Channel, Status
from civic311.service_requests import actions
from civic311.testing import Places, Services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings: Any) -> None:
    settings.API_CACHE_SECONDS = 30
    cache.clear()


def test_a_list_is_served_from_the_cache_until_it_expires(
    api: Client, services: Services, places: Places
) -> None:
    lat, long = places.ward2_near_north
    first = api.get("/open311/v2/requests.json")
    assert first.json() == [] and first["Cache-Control"] == "public, max-age=30"
    request = actions.submit_request(
        service_code="street_light",
        channel=Channel.WEB,
        actor=actions.Actor.resident(),
        lat=lat,
        long=long,
    ).request

    assert api.get("/open311/v2/requests.json").json() == []  # still the cached answer
    cache.clear()
    assert [r["service_request_id"] for r in api.get("/open311/v2/requests.json").json()] == [
        request.tracking_number
    ]


def test_one_request_is_always_current(api: Client, services: Services, places: Places) -> None:
    lat, long = places.ward2_near_north
    request = actions.submit_request(
        service_code="street_light",
        channel=Channel.WEB,
        actor=actions.Actor.resident(),
        lat=lat,
        long=long,
    ).request
    url = f"/open311/v2/requests/{request.tracking_number}.json"
    assert api.get(url).json()[0]["status"] == "open"
    actions.close(request=request, status=Status.CLOSED_FIXED, actor=actions.Actor.system())
    response = api.get(url)
    assert response.json()[0]["status"] == "closed"
    assert "Cache-Control" not in response


def test_an_edited_service_shows_at_once(api: Client, services: Services) -> None:
    assert api.get("/open311/v2/services.json").status_code == 200
    services.pothole.service_name = "Pothole (street)"
    services.pothole.save()
    names = {s["service_name"] for s in api.get("/open311/v2/services.json").json()}
    assert "Pothole (street)" in names


def test_errors_are_not_cached(api: Client, services: Services) -> None:
    assert api.get("/open311/v2/requests.json?status=nope").status_code == 400
    assert api.get("/open311/v2/requests.json?status=nope").status_code == 400


def test_a_cached_page_keeps_its_link_to_the_next(
    api: Client, services: Services, places: Places
) -> None:
    lat, long = places.ward2_near_north
    for _ in range(2):
        actions.submit_request(
            service_code="street_light",
            channel=Channel.WEB,
            actor=actions.Actor.resident(),
            lat=lat,
            long=long,
        )
    fresh = api.get("/open311/v2/requests.json?page_size=1")
    cached = api.get("/open311/v2/requests.json?page_size=1")
    assert 'rel="next"' in fresh["Link"] and cached["Link"] == fresh["Link"]
