"""The OpenAPI document is the API's contract: it is valid, it names every call the URLconf has
(and no other), and what the API answers is what the document declares."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, resolve
from openapi_spec_validator import validate as validate_openapi
from PIL import Image

from civic311 import urls as root_urls
from civic311.apikeys.actions import IssuedKey
from civic311.choices import Channel, ServiceType, Status
from civic311.georeport.apidocs import DOCUMENT, document
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services
from civic311.testing.openapi import CONVERTED, check_against, conforms, follow

BASE = "/open311/v2"
URI = "urn:civic311:openapi"
STAFF = actions.Actor(label="Transportation")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


# --- (a) A valid OpenAPI 3 document -------------------------------------------------------------


def test_the_document_is_valid_openapi_3() -> None:
    assert document()["openapi"].startswith("3.0.")
    validate_openapi(document())


def test_the_multipart_form_lists_the_same_fields_as_the_plain_one() -> None:
    """Listed twice (flat, so that tools see the file parts): they must not drift apart."""
    schemas = document()["components"]["schemas"]
    plain, multipart = schemas["SubmitForm"], schemas["SubmitMultipart"]

    assert set(multipart["properties"]) == {*plain["properties"], "media"}
    assert multipart["required"] == plain["required"]
    for name in plain["properties"]:
        assert multipart["properties"][name] == {
            "$ref": f"#/components/schemas/SubmitForm/properties/{name}"
        }


def test_it_is_served_as_yaml_and_as_json_with_cors(client: Client) -> None:
    as_json = client.get(f"{BASE}/openapi.json")
    as_yaml = client.get(f"{BASE}/openapi.yaml")

    assert as_json.status_code == as_yaml.status_code == 200
    assert as_json.json() == document() == yaml.safe_load(as_yaml.content)
    assert as_yaml.content == DOCUMENT.read_bytes()
    for response in (as_json, as_yaml):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "max-age" in response["Cache-Control"]
    assert client.post(f"{BASE}/openapi.json").status_code == 405


def test_the_reference_page_lists_every_operation(client: Client) -> None:
    response = client.get("/developers/api/")

    assert response.status_code == 200
    page = response.content.decode()
    for item in document()["paths"].values():
        for operation in item.values():
            assert f'id="{operation["operationId"]}"' in page
    assert "attribute[CODE]" in page and "Idempotency-Key" in page
    assert "<script" not in page and "http://" not in page.split("<main>")[0]


# --- (b) Responses match the document -----------------------------------------------------------


@pytest.fixture
def pothole(services: Services, places: Places) -> ServiceRequest:
    """An old pothole report worked by staff, with a public history and a duplicate."""
    lat, long = places.ward1_near_west
    first = actions.submit_request(
        service_code="pothole",
        channel=Channel.WEB,
        actor=actions.Actor.resident(),
        lat=lat,
        long=long,
        answers={"location": "street", "depth_cm": "8"},
        description="Deep one by the bus stop",
    ).request
    actions.change_status(request=first, status=Status.SCHEDULED, actor=STAFF, note="Tuesday.")
    actions.submit_request(
        service_code="pothole",
        channel=Channel.SMS,
        actor=actions.Actor.resident(),
        lat=lat,
        long=long,
        answers={"location": "street"},
    )
    return first


def pothole_form(places: Places, **extra: Any) -> dict[str, Any]:
    lat, long = places.ward1_near_west
    return {
        "service_code": "pothole",
        "lat": lat,
        "long": long,
        "attribute[location]": "crosswalk",
        **extra,
    }


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_reads_match_the_document(client: Client, pothole: ServiceRequest) -> None:
    number = pothole.tracking_number
    conforms(client.get(f"{BASE}/discovery.json"), "/discovery.json")
    services = conforms(client.get(f"{BASE}/services.json"), "/services.json")
    assert {s["service_code"] for s in services} >= {"pothole", "graffiti"}
    for code in ("pothole", "graffiti", "sewer_cave_in"):
        conforms(client.get(f"{BASE}/services/{code}.json"), "/services/{service_code}.json")

    listed = conforms(client.get(f"{BASE}/requests.json"), "/requests.json")
    assert len(listed) == 2 and "notes" not in listed[0]
    extended = conforms(
        client.get(f"{BASE}/requests.json", {"extensions": "true", "page_size": "5"}),
        "/requests.json",
    )
    duplicate = next(r for r in extended if r["extended_attributes"]["duplicate"])
    assert duplicate["extended_attributes"]["parent_service_request_id"] == number
    conforms(
        client.get(
            f"{BASE}/requests.json",
            {"lat": 41.87, "long": -87.68, "radius": 300, "q": "bus", "status": "open"},
        ),
        "/requests.json",
    )
    [one] = conforms(
        client.get(f"{BASE}/requests/{number}.json"), "/requests/{service_request_id}.json"
    )
    assert one["service_request_id"] == number
    [detail] = conforms(
        client.get(f"{BASE}/requests/{number}.json", {"extensions": "true"}),
        "/requests/{service_request_id}.json",
    )
    assert [n["type"] for n in detail["notes"]][:2] == ["opened", "activity"]
    assert {"code": "depth_cm", "value": "8"} in detail["attributes"]


@pytest.mark.django_db
def test_errors_match_the_document(
    client: Client, services: Services, places: Places, app_key: IssuedKey
) -> None:
    missing = client.get(f"{BASE}/requests/26-99999999.json")
    conforms(missing, "/requests/{service_request_id}.json")
    assert missing.status_code == 404
    conforms(client.get(f"{BASE}/services/nope.json"), "/services/{service_code}.json")
    conforms(client.get(f"{BASE}/tokens/nope.json"), "/tokens/{token}.json")
    conforms(
        client.get(f"{BASE}/services.json", {"jurisdiction_id": "elsewhere.gov"}), "/services.json"
    )
    bad = client.get(
        f"{BASE}/requests.json", {"page_size": "0", "bbox": "1,2", "lat": "x", "long": "-87.6"}
    )
    assert len(conforms(bad, "/requests.json")) == 3

    no_key = client.post(f"{BASE}/requests.json", pothole_form(places))
    assert no_key.status_code == 403
    conforms(no_key, "/requests.json", "POST")
    wrong = client.post(
        f"{BASE}/requests.json",
        pothole_form(places, **{"attribute[location]": "roof", "lat": "91"}),
        HTTP_AUTHORIZATION=f"Bearer {app_key.key}",
    )
    assert wrong.status_code == 400
    assert len(conforms(wrong, "/requests.json", "POST")) == 2
    as_json = client.generic(
        "POST",
        f"{BASE}/requests.json",
        b"{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {app_key.key}",
    )
    conforms(as_json, "/requests.json", "POST")

    not_allowed = client.post(f"{BASE}/services.json")
    assert not_allowed.status_code == 405
    check_against(
        follow(CONVERTED["components"]["responses"]["MethodNotAllowed"]),
        not_allowed,
        "POST services.json",
    )
    unknown = client.get(f"{BASE}/nothing-here.json")
    assert unknown.status_code == 404
    conforms(unknown, "/")


@pytest.mark.django_db
@override_settings(API_POST_PER_MINUTE=1, API_GET_PER_MINUTE=2)
def test_rate_limits_match_the_document(
    client: Client, services: Services, places: Places, app_key: IssuedKey
) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {app_key.key}"}
    assert client.post(f"{BASE}/requests.json", pothole_form(places), **auth).status_code == 201
    limited = client.post(f"{BASE}/requests.json", pothole_form(places), **auth)
    assert limited.status_code == 429
    conforms(limited, "/requests.json", "POST")
    reads = [client.get(f"{BASE}/services.xml") for _ in range(3)]
    assert reads[-1].status_code == 429
    conforms(reads[-1], "/services.xml")


@pytest.mark.django_db
def test_submissions_match_the_document(
    client: Client, services: Services, places: Places, app_key: IssuedKey
) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {app_key.key}"}
    form = pothole_form(places, description="Deep", account_id="acct-42")
    first = client.post(f"{BASE}/requests.json", form, HTTP_IDEMPOTENCY_KEY="k-1", **auth)
    [answer] = conforms(first, "/requests.json", "POST")
    assert answer["account_id"] == "acct-42"
    replay = client.post(f"{BASE}/requests.json", form, HTTP_IDEMPOTENCY_KEY="k-1", **auth)
    conforms(replay, "/requests.json", "POST")
    assert replay["Idempotent-Replayed"] == "true"

    with_photo = client.post(
        f"{BASE}/requests.json",
        {**pothole_form(places, api_key=app_key.key), "media": io.BytesIO(jpeg())},
    )
    assert with_photo.status_code == 201, with_photo.content
    conforms(with_photo, "/requests.json", "POST")
    graffiti = client.post(
        f"{BASE}/requests.xml",
        {
            "service_code": "graffiti",
            "lat": 41.90,
            "long": -87.62,
            "attribute[surface][]": ["brick", "metal"],
        },
        **auth,
    )
    conforms(graffiti, "/requests.xml", "POST")
    assert graffiti.status_code == 201, graffiti.content

    services.street_light.type = ServiceType.BATCH
    services.street_light.save()
    batch = client.post(
        f"{BASE}/requests.json",
        {"service_code": "street_light", "lat": 41.90, "long": -87.62},
        **auth,
    )
    [queued] = conforms(batch, "/requests.json", "POST")
    conforms(client.get(f"{BASE}/tokens/{queued['token']}.json"), "/tokens/{token}.json")
    conforms(client.get(f"{BASE}/tokens/{queued['token']}.xml"), "/tokens/{token}.xml")


@pytest.mark.django_db
def test_status_updates_match_the_document(
    client: Client, pothole: ServiceRequest, back_office_key: IssuedKey, app_key: IssuedKey
) -> None:
    path = "/servicerequestupdates.json"
    actions.close(request=pothole, status=Status.CLOSED_FIXED, actor=STAFF, note="Filled.")
    updates = conforms(client.get(BASE + path), path)
    assert [u["status"] for u in updates][-1] == "FIXED"
    conforms(client.get(BASE + path, {"start_date": "2026-01-01T00:00"}), path)

    form = {
        "service_request_id": pothole.tracking_number,
        "update_id": "wm-1",
        "status": "in_progress",
        "description": "Reopened: the patch sank.",
    }
    pushed = client.post(BASE + path, {**form, "api_key": back_office_key.key})
    assert pushed.status_code == 200, pushed.content
    conforms(pushed, path, "POST")
    conforms(client.post(BASE + path, {**form, "api_key": app_key.key}), path, "POST")
    refused = client.post(
        BASE + path, {"status": "DUPLICATE"}, HTTP_AUTHORIZATION=f"Bearer {back_office_key.key}"
    )
    assert refused.status_code == 400
    conforms(refused, path, "POST")
    unknown = client.post(
        BASE + path, {**form, "service_request_id": "26-99999999", "api_key": back_office_key.key}
    )
    assert unknown.status_code == 404
    conforms(unknown, path, "POST")
    conforms(client.get(BASE + "/servicerequestupdates.xml"), "/servicerequestupdates.xml")


@pytest.mark.django_db
def test_every_xml_call_answers_the_declared_type(client: Client, pothole: ServiceRequest) -> None:
    number = pothole.tracking_number
    for path, url in [
        ("/discovery.xml", "/discovery.xml"),
        ("/services.xml", "/services.xml"),
        ("/services/{service_code}.xml", "/services/pothole.xml"),
        ("/requests.xml", "/requests.xml?extensions=true"),
        ("/requests/{service_request_id}.xml", f"/requests/{number}.xml"),
        ("/requests/{service_request_id}.xml", "/requests/26-99999999.xml"),
    ]:
        conforms(client.get(BASE + url), path)


# --- (c) The document and the URLconf name the same calls ---------------------------------------


def _patterns() -> Iterator[tuple[str, URLPattern]]:
    """Every call mounted at the API's base address (GeoReport's URLconf, and the extensions
    mounted beside it: webhooks), with its namespace."""
    mounted = [
        entry
        for entry in root_urls.urlpatterns
        if isinstance(entry, URLResolver) and str(entry.pattern) == BASE.strip("/") + "/"
    ]
    assert {resolver.namespace for resolver in mounted} >= {"georeport", "webhooks"}
    for resolver in mounted:
        for entry in resolver.url_patterns:
            assert not isinstance(entry, URLResolver)
            if str(entry.pattern) != r"^(?P<path>.*)$":  # the catch-all: every unknown path, a 404
                yield str(resolver.namespace), entry


def _calls_in_urlconf() -> set[tuple[str, str | None]]:
    calls: set[tuple[str, str | None]] = set()
    for namespace, pattern in _patterns():
        assert pattern.name, pattern
        formats = ("json", "xml") if "(?P<fmt>" in str(pattern.pattern) else (None,)
        calls |= {(f"{namespace}:{pattern.name}", fmt) for fmt in formats}
    return calls


def _call_for(path: str) -> tuple[str, str | None]:
    """The URL pattern a documented path reaches, with a sample value for each parameter."""
    url = BASE + re.sub(r"\{[^}]+\}", "sample-1", path)
    match = resolve(url)
    assert match.url_name, f"{path} reaches only the catch-all"
    assert match.namespace in ("georeport", "webhooks"), path
    return f"{match.namespace}:{match.url_name}", match.kwargs.get("fmt")


def test_every_call_in_the_urlconf_is_documented_and_nothing_else() -> None:
    documented = [_call_for(path) for path in document()["paths"]]

    assert len(documented) == len(set(documented)), "two documented paths reach the same call"
    assert set(documented) == _calls_in_urlconf()


@pytest.mark.django_db
def test_every_documented_operation_answers_its_method(client: Client, services: Services) -> None:
    for path, item in document()["paths"].items():
        url = BASE + re.sub(r"\{[^}]+\}", "sample-1", path)
        for method in item:
            response = client.generic(method.upper(), url)
            assert response.status_code != 405, f"{method.upper()} {path}"
