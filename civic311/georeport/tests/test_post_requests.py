"""POST requests: apps submit through the same pipeline as every channel."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from civic311.apikeys.actions import IssuedKey
from civic311.choices import Channel, ServiceType
from civic311.georeport.tests.conftest import parse_xml
from civic311.service_requests.models import ReporterContact, ServiceRequest, TimelineEntry
from civic311.testing import Places, Services

pytestmark = pytest.mark.django_db
URL = "/open311/v2/requests.json"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def pothole_form(places: Places, key: IssuedKey, **extra: Any) -> dict[str, Any]:
    lat, long = places.ward1_near_west
    form = {
        "api_key": key.key,
        "service_code": "pothole",
        "lat": str(lat),
        "long": str(long),
        "attribute[location]": "crosswalk",
        "attribute[depth_cm]": "12",
        "description": "Deep one",
        "email": "ana@example.org",
        "first_name": "Ana",
        "account_id": "acct-42",
    }
    form.update(extra)
    return form


def test_an_app_submits_a_pothole_and_gets_a_tracking_number(
    api: Client, services: Services, places: Places, app_key: IssuedKey
) -> None:
    response = api.post(URL, pothole_form(places, app_key))

    assert response.status_code == 201
    [answer] = response.json()
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    assert answer["account_id"] == "acct-42"
    request = ServiceRequest.objects.get(tracking_number=answer["service_request_id"])
    assert (request.channel, request.source) == (Channel.API, "Chicago Works")
    assert request.answers == {"location": "crosswalk", "depth_cm": 12}
    assert ReporterContact.objects.get(request=request).email == "ana@example.org"
    assert request.is_test is False


def test_multivalue_answers_use_the_bracket_form(
    api: Client, services: Services, places: Places, app_key: IssuedKey
) -> None:
    lat, long = places.ward2_near_north
    response = api.post(
        URL,
        {
            "service_code": "graffiti",
            "lat": lat,
            "long": long,
            "attribute[surface][]": ["brick", "metal"],
            "attribute[offensive]": "no",
        },
        HTTP_AUTHORIZATION=f"Bearer {app_key.key}",
    )
    assert response.status_code == 201, response.content
    number = response.json()[0]["service_request_id"]
    assert ServiceRequest.objects.get(tracking_number=number).answers == {
        "surface": ["brick", "metal"],
        "offensive": "no",
    }


def test_every_problem_comes_back_at_once_and_nothing_is_stored(
    api: Client, services: Services, places: Places, app_key: IssuedKey
) -> None:
    response = api.post(
        "/open311/v2/requests.xml",
        pothole_form(
            places,
            app_key,
            **{
                "attribute[location]": "roof",
                "lat": "91",
                "email": "nope",
                "description": "x" * 4001,
            },
        ),
    )
    assert response.status_code == 400
    root = parse_xml(response.content)
    descriptions = [e.findtext("description") or "" for e in root.findall("error")]
    assert len(descriptions) == 4
    assert any(d.startswith("attribute[location]:") for d in descriptions)
    assert any(d.startswith("lat:") for d in descriptions)
    assert {e.findtext("code") for e in root.findall("error")} == {"400"}
    assert not ServiceRequest.objects.exists() and not TimelineEntry.objects.exists()


@pytest.mark.parametrize(
    ("auth", "status", "fragment"),
    [
        ({}, 403, "api_key is required"),
        ({"api_key": "c311_not-a-real-key"}, 403, "Invalid api_key"),
    ],
)
def test_submitting_needs_a_valid_key(
    api: Client,
    services: Services,
    places: Places,
    app_key: IssuedKey,
    auth: dict[str, str],
    status: int,
    fragment: str,
) -> None:
    form = pothole_form(places, app_key)
    del form["api_key"]
    form.update(auth)
    response = api.post(URL, form)
    assert response.status_code == status
    assert fragment in response.json()[0]["description"]
    assert not ServiceRequest.objects.exists()


def test_a_pending_production_key_cannot_submit_yet(
    api: Client, services: Services, places: Places
) -> None:
    from civic311.apikeys.actions import issue_key

    pending = issue_key(app_name="New App", contact_email="a@b.org", kind="production")
    response = api.post(URL, pothole_form(places, pending))
    assert response.status_code == 403
    assert "waiting for approval" in response.json()[0]["description"]


def test_a_test_key_makes_a_sandbox_request(
    api: Client, services: Services, places: Places, test_key: IssuedKey
) -> None:
    response = api.post(URL, pothole_form(places, test_key))
    assert response.status_code == 201
    number = response.json()[0]["service_request_id"]
    assert ServiceRequest.objects.get(tracking_number=number).is_test


@override_settings(API_POST_PER_MINUTE=2)
def test_too_many_submissions_get_a_429_with_retry_after(
    api: Client, services: Services, places: Places, app_key: IssuedKey
) -> None:
    codes = [
        api.post(URL, pothole_form(places, app_key, lat=str(41.86 + i / 100))).status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 429]
    limited = api.post(URL, pothole_form(places, app_key))
    assert 1 <= int(limited["Retry-After"]) <= 61


@override_settings(API_GET_PER_MINUTE=3)
def test_anonymous_reads_are_limited_per_client(api: Client, services: Services) -> None:
    codes = [api.get("/open311/v2/services.json").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get("/open311/v2/services.json").status_code == 200


def test_a_retried_post_with_the_same_idempotency_key_returns_the_first_answer(
    api: Client, services: Services, places: Places, app_key: IssuedKey
) -> None:
    form = pothole_form(places, app_key)
    first = api.post(URL, form, HTTP_IDEMPOTENCY_KEY="retry-7")
    again = api.post(URL, form, HTTP_IDEMPOTENCY_KEY="retry-7")

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert ServiceRequest.objects.count() == 1
    changed = api.post(URL, {**form, "description": "other"}, HTTP_IDEMPOTENCY_KEY="retry-7")
    assert changed.status_code == 400
    assert "different request" in changed.json()[0]["description"]


def test_a_batch_service_answers_with_a_token_only(
    api: Client, services: Services, places: Places, app_key: IssuedKey
) -> None:
    services.street_light.type = ServiceType.BATCH
    services.street_light.save()
    lat, long = places.ward2_near_north
    response = api.post(
        URL, {"api_key": app_key.key, "service_code": "street_light", "lat": lat, "long": long}
    )
    [answer] = response.json()
    assert "token" in answer and "service_request_id" not in answer

    [resolved] = api.get(f"/open311/v2/tokens/{answer['token']}.json").json()
    number = ServiceRequest.objects.get().tracking_number
    assert resolved == {"service_request_id": number, "token": answer["token"]}
    assert api.get("/open311/v2/tokens/nope.json").status_code == 404


def test_an_address_is_enough_when_it_can_be_found(
    api: Client, services: Services, app_key: IssuedKey
) -> None:
    from civic311.geo.geocoders import import_address_points

    import_address_points([("1200 W Madison St", 41.8819, -87.657, "60607")])
    response = api.post(
        URL,
        {
            "api_key": app_key.key,
            "service_code": "street_light",
            "address_string": "1200 west madison street",
        },
    )
    assert response.status_code == 201, response.content
    request = ServiceRequest.objects.get()
    assert (request.address, request.ward) == ("1200 west madison street", "1")
    missing = api.post(
        URL,
        {
            "api_key": app_key.key,
            "service_code": "street_light",
            "address_string": "1 Nowhere Lane",
        },
    )
    assert missing.status_code == 400
    assert "could not find" in missing.json()[0]["description"]


@pytest.mark.parametrize(
    ("body", "content_type", "fragment"),
    [
        (b'{"service_code": "pothole"}', "application/json", "form-encoded"),
        (b"service_code=pothole&lat=%FF%FE", "application/x-www-form-urlencoded", "UTF-8"),
        (
            b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb',
            "multipart/form-data; boundary=xyz",
            "",
        ),
        (b"--", "multipart/form-data", ""),
    ],
)
def test_malformed_bodies_are_a_400_never_a_500(
    api: Client,
    services: Services,
    app_key: IssuedKey,
    body: bytes,
    content_type: str,
    fragment: str,
) -> None:
    response = api.generic(
        "POST", URL, body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {app_key.key}"
    )
    assert response.status_code in (400, 403), response.content
    if response.status_code == 400:
        assert fragment in response.json()[0]["description"]


def test_a_huge_body_is_refused_before_it_is_read(
    api: Client, services: Services, app_key: IssuedKey
) -> None:
    response = api.generic(
        "POST",
        URL,
        b"a=" + b"x" * 100,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        HTTP_AUTHORIZATION=f"Bearer {app_key.key}",
    )
    assert response.status_code == 400
    assert "too large" in response.json()[0]["description"]


def test_get_requests_needs_no_key_and_post_to_a_read_only_call_is_refused(
    api: Client, services: Services
) -> None:
    assert api.get(URL).status_code == 200
    response = api.post("/open311/v2/services.json", {})
    assert response.status_code == 405
