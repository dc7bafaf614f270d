"""Writes are counted per API key; a caller with no key, or a wrong one, never reaches that
count, so its refusals are counted per address: after API_REFUSED_KEY_PER_MINUTE of them that
address waits (429 with Retry-After, in the Open311 format asked for), whatever key it sends,
while other addresses go on."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from civic311.apikeys.actions import IssuedKey
from civic311.georeport.tests.conftest import parse_xml
from civic311.testing import Places, Services

pytestmark = pytest.mark.django_db

URL = "/open311/v2/requests"


def pothole(places: Places, **extra: str) -> dict[str, str]:
    lat, long = places.ward1_near_west
    form = {"service_code": "pothole", "lat": str(lat), "long": str(long)}
    form.update({"attribute[location]": "crosswalk", "attribute[depth_cm]": "12", **extra})
    return form


@override_settings(API_REFUSED_KEY_PER_MINUTE=3)
def test_refusals_for_a_missing_or_wrong_key_make_that_address_wait(
    services: Services, places: Places, app_key: IssuedKey
) -> None:
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    codes = [
        guesser.post(f"{URL}.json", pothole(places)).status_code,
        guesser.post(f"{URL}.json", pothole(places, api_key="not-a-key")).status_code,
        guesser.post(f"{URL}.json", pothole(places), HTTP_AUTHORIZATION="Bearer nope").status_code,
    ]
    assert codes == [403, 403, 403]

    limited = guesser.post(f"{URL}.xml", pothole(places, api_key="still-not-a-key"))
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 61
    [error] = parse_xml(limited.content).findall("error")
    assert error.findtext("code") == "429"
    assert "Too many requests" in (error.findtext("description") or "")

    # Until the window ends the address waits, even with a good key: its key is not looked up.
    with_a_key = guesser.post(f"{URL}.json", pothole(places, api_key=app_key.key))
    assert with_a_key.status_code == 429

    # Another address is not affected.
    app = Client(REMOTE_ADDR="203.0.113.20")
    assert app.post(f"{URL}.json", pothole(places, api_key=app_key.key)).status_code == 201


@override_settings(API_REFUSED_KEY_PER_MINUTE=2)
def test_webhook_registration_with_a_wrong_key_is_limited_the_same_way(
    services: Services,
) -> None:
    guesser = Client(REMOTE_ADDR="198.51.100.8")
    form = {"url": "https://hooks.example.org/311", "api_key": "wrong"}
    codes = [guesser.post("/open311/v2/webhooks.json", form).status_code for _ in range(3)]
    assert codes == [403, 403, 429]


@override_settings(API_REFUSED_KEY_PER_MINUTE=2)
def test_a_working_key_s_own_refusals_do_not_count_against_its_address(
    services: Services, places: Places, app_key: IssuedKey
) -> None:
    app = Client(REMOTE_ADDR="203.0.113.21")
    for _ in range(3):  # refused for what was sent, not for the key
        invalid = app.post(f"{URL}.json", pothole(places, api_key=app_key.key, lat="91"))
        assert invalid.status_code == 400
    assert app.post(f"{URL}.json", pothole(places, api_key=app_key.key)).status_code == 201
