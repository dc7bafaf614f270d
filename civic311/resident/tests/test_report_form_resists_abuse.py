"""Bots, floods and forged posts are turned away without hurting the people using the form."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from civic311.service_requests.models import ServiceRequest

pytestmark = pytest.mark.django_db

GOOD = {"address": "1200 W Madison St", "attribute[location]": "street", "website": ""}


def test_a_post_without_the_csrf_token_is_refused(services: Any, addresses: None) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/report/pothole/", GOOD).status_code == 403
    assert not ServiceRequest.objects.exists()


def test_a_filled_honeypot_stores_nothing_and_keeps_the_form(
    client: Client, services: Any, addresses: None
) -> None:
    response = client.post("/report/pothole/", {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()
    assert 'value="1200 W Madison St"' in response.content.decode()


def test_too_many_reports_from_one_client_are_slowed_down(
    client: Client, services: Any, addresses: None, settings: Any
) -> None:
    settings.REPORT_POSTS_PER_MINUTE = 2
    assert client.post("/report/street_light/", GOOD).status_code == 302
    assert client.post("/report/street_light/", GOOD).status_code == 302
    third = client.post("/report/street_light/", GOOD)
    assert third.status_code == 429
    assert "Too many reports from here" in third.content.decode()
    assert 'value="1200 W Madison St"' in third.content.decode()
    assert ServiceRequest.objects.count() == 2
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post("/report/street_light/", GOOD).status_code == 302


def test_the_place_lookup_finds_an_address_and_its_areas(
    client: Client, services: Any, addresses: None
) -> None:
    found = client.get("/report/place", {"address": "1200 west madison street"}).json()
    assert (found["lat"], found["long"]) == (41.88196, -87.656985)
    assert (found["ward"], found["community_area"]) == ("1", "28")
    assert found["areas"] == "Ward 1 · Near West Side"
    reverse = client.get("/report/place", {"lat": "41.88197", "long": "-87.65699"}).json()
    assert reverse["address"] == "1200 W Madison St"
    missing = client.get("/report/place", {"address": "1 Nowhere Road"})
    assert missing.status_code == 422
    assert "We could not find" in missing.json()["error"]


def test_the_place_lookup_is_rate_limited(
    client: Client, services: Any, addresses: None, settings: Any
) -> None:
    settings.PLACE_LOOKUPS_PER_MINUTE = 1
    assert client.get("/report/place", {"address": "1200 W Madison St"}).status_code == 200
    slowed = client.get("/report/place", {"address": "1200 W Madison St"})
    assert slowed.status_code == 429
    assert int(slowed["Retry-After"]) >= 1


def test_html_in_a_description_is_shown_as_text_everywhere(
    client: Client, services: Any, addresses: None
) -> None:
    script = "<script>alert(1)</script>"
    client.post("/report/street_light/", {**GOOD, "description": script})
    sr = ServiceRequest.objects.get()
    for url in (f"/track/{sr.tracking_number}", "/"):
        page = client.get(url).content.decode()
        assert script not in page
