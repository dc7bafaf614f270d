"""Real Open311 client libraries from PyPI against a running Civic311 (pytest-django's
`live_server`: a real HTTP server in a thread, so every call goes through a socket and WSGI).

Each client gets only what a city's users would give it: the base URL, the format, the api_key,
the jurisdiction_id. Nothing in Civic311 knows about any of them. Pinned in pyproject (dev):

- georeport 0.3.1 (2025), JSON and XML (xmltodict): services, definitions, one request,
  requests filtered by id, code, status and start_date.
- civicbot 0.4.0 (2026), JSON: services, definitions, POST with single- and multi-value
  attributes (checked first against our live definition), read back, filtered lists, errors.
- boston311 0.1.1 (2021), JSON into strict pydantic models: services, one request, requests
  filtered by code, start/end dates (UTC, whole seconds, `Z`) and status.
- chicagorequests 0.0.5 (2023), JSON with Chicago's extensions: its command line downloads a
  day range with `extensions=true`, `page` and `page_size`; its downloader filters by code.

Not here, because they cannot run on Python 3 at all (Python 2 only; not patched):
- three 0.8.0 (2013): `from itertools import ifilter` at import.
- open311 1.1 (2011): implicit relative imports (`from open311 import Open311` inside the
  package `open311`, `from api import API`), and ElementTree's `getchildren()`.

What the clients get wrong on their own (a spec-conforming city breaks them the same way), so
these tests do not ask it of them:
- georeport's XML mode reads `xmltodict.parse(...)["services"]["service"]`: for a list of one
  xmltodict gives the item, not a list, and for an empty list (`<services></services>`) None,
  so `None["service"]` raises TypeError. Its XML tests read lists of two or more, use
  `as_list` where one item is expected, and never ask for an empty list. georeport cannot
  submit (its README says so).
- boston311 hard-codes Boston's base URL in a module constant (set here: the only way to point
  it at another city), and its models require a non-null `group` on every service and a
  non-null `address` on every request, though both are optional in the spec: Civic311 sends
  null for a request placed by lat/long where the geocoder knows no address. The requests it
  reads are submitted with an address_string.
- chicagorequests hard-codes Chicago's URL as a class attribute (set here). Its command line
  filters only by Chicago's own service codes (so it reads every service here), and its
  `--updated-start-date`/`--updated-end-date` send `str(datetime)`, with a space instead of the
  `T` (`2026-05-01 08:15:30-05:00`): not the W3C format the spec asks for, so Civic311 answers
  400 and those options are not used here. It retries every error five times over five
  minutes; that is set to none, so a failure shows at once.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import boston311
import boston311.api
import chicagorequests
import georeport
import pytest
from civicbot import Endpoint, HttpError, HttpTransport, Open311Client, ValidationError
from civicbot.http import RateLimiter
from click.testing import CliRunner
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from civic311.apikeys.actions import IssuedKey
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services

pytestmark = pytest.mark.django_db(transaction=True)

SERVICE_NAMES = {
    "graffiti": "Graffiti Removal",
    "pothole": "Pothole in Street",
    "sewer_cave_in": "Sewer Cave-In Inspection",
    "street_light": "Street Light Out",
}
GRAFFITI_QUESTIONS = ["surface", "offensive", "seen_at", "where_on_building", "details"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def base_url(live_server: Any, services: Services) -> str:
    """The GeoReport v2 base URL of the running test city, as a city would publish it."""
    return f"{live_server.url}/open311/v2"


def as_list(value: Any) -> list[Any]:
    """xmltodict's reading of an XML list: a dict for one item, None for none."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def submit(base_url: str, key: IssuedKey, form: dict[str, Any]) -> str:
    """A plain form POST (not a client under test), for the clients that only read."""
    body = urlencode({"api_key": key.key, **form}, doseq=True).encode()
    url = f"{base_url}/requests.json"  # the live server's http:// address
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 201
        [answer] = json.loads(response.read())
    return str(answer["service_request_id"])


@pytest.fixture
def submitted(base_url: str, app_key: IssuedKey, places: Places) -> dict[str, str]:
    """Two potholes and one graffiti report, each with an address and attribute answers."""
    west, north = places.ward1_near_west, places.ward2_near_north
    return {
        "pothole_west": submit(
            base_url,
            app_key,
            {
                "service_code": "pothole",
                "lat": west[0],
                "long": west[1],
                "address_string": "1200 W Taylor St",
                "attribute[location]": "crosswalk",
                "attribute[depth_cm]": "12",
                "description": "Deep one by the school",
            },
        ),
        "pothole_north": submit(
            base_url,
            app_key,
            {
                "service_code": "pothole",
                "lat": north[0],
                "long": north[1],
                "address_string": "100 E Walton St",
                "attribute[location]": "street",
                "media_url": "https://photos.example.org/pothole-north.jpg",
            },
        ),
        "graffiti_north": submit(
            base_url,
            app_key,
            {
                "service_code": "graffiti",
                "lat": north[0] + 0.001,
                "long": north[1],
                "address_string": "110 E Walton St",
                "attribute[surface][]": ["brick", "glass"],
                "attribute[offensive]": "yes",
            },
        ),
    }


# --- georeport 0.3.1 ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_lists_services_and_reads_their_definitions(base_url: str, fmt: str) -> None:
    client = georeport.GeoReport(base_url, output_format=fmt)

    listed = client.get_service_list()

    assert {s["service_code"]: s["service_name"] for s in listed} == SERVICE_NAMES
    metadata = {s["service_code"]: s["metadata"] for s in listed}
    yes, no = (True, False) if fmt == "json" else ("true", "false")
    assert metadata == {"graffiti": yes, "pothole": yes, "sewer_cave_in": no, "street_light": no}
    assert {s["type"] for s in listed} == {"realtime"}
    assert {s["group"] for s in listed} == {"Sanitation", "Streets", "Water"}

    definition = client.get_service_definition("graffiti")

    assert definition["service_code"] == "graffiti"
    if fmt == "json":
        attributes = definition["attributes"]
        values_of = {a["code"]: a["values"] for a in attributes}
    else:
        attributes = as_list(definition["attributes"]["attribute"])
        values_of = {a["code"]: as_list((a["values"] or {}).get("value")) for a in attributes}
    assert [a["code"] for a in attributes] == GRAFFITI_QUESTIONS
    surface = attributes[0]
    assert (surface["datatype"], surface["variable"], surface["required"]) == (
        ("multivaluelist", True, True) if fmt == "json" else ("multivaluelist", "true", "true")
    )
    assert [(v["key"], v["name"]) for v in values_of["surface"]] == [
        ("brick", "Brick"),
        ("metal", "Metal"),
        ("glass", "Glass"),
    ]
    assert values_of["seen_at"] == []
    assert [a["datatype"] for a in attributes] == [
        "multivaluelist",
        "singlevaluelist",
        "datetime",
        "string",
        "text",
    ]

    # A service without questions: an empty list, still under its name (in XML an empty
    # <attributes></attributes>, which xmltodict reads as None).
    empty = client.get_service_definition("street_light")
    assert empty == {"service_code": "street_light", "attributes": [] if fmt == "json" else None}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_requests_back_and_filters_them(
    base_url: str, fmt: str, submitted: dict[str, str]
) -> None:
    client = georeport.GeoReport(base_url, jurisdiction="testcity.gov", output_format=fmt)
    number = submitted["pothole_west"]

    one = client.get_service_request(number)

    assert one["service_request_id"] == number
    assert (one["service_code"], one["service_name"]) == ("pothole", "Pothole in Street")
    assert one["status"] == "open"
    assert one["description"] == "Deep one by the school"
    assert one["address"] == "1200 W Taylor St"
    assert one["agency_responsible"] == "Transportation"
    assert float(one["lat"]) == pytest.approx(41.87)
    assert float(one["long"]) == pytest.approx(-87.68)
    assert datetime.fromisoformat(one["requested_datetime"]).utcoffset() is not None
    # Absent values are there, empty: JSON null, XML an empty element (None in xmltodict).
    assert (one["media_url"], one["status_notes"], one["address_id"]) == (None, None, None)
    assert "email" not in one and "account_id" not in one

    potholes = client.get_service_requests(service_code="pothole", status="open")
    assert {r["service_request_id"] for r in potholes} == {
        submitted["pothole_west"],
        submitted["pothole_north"],
    }
    assert {r["service_name"] for r in potholes} == {"Pothole in Street"}
    with_photo = next(r for r in potholes if r["service_request_id"] == submitted["pothole_north"])
    assert with_photo["media_url"] == "https://photos.example.org/pothole-north.jpg"

    # A list of one is still a list in JSON; in XML one <request> in <service_requests>, which
    # xmltodict gives as the item itself.
    graffiti = client.get_service_requests(service_code="graffiti")
    if fmt == "json":
        assert isinstance(graffiti, list)
    assert [r["service_request_id"] for r in as_list(graffiti)] == [submitted["graffiti_north"]]

    both = client.get_service_requests(
        service_request_id=f"{submitted['graffiti_north']},{submitted['pothole_north']}"
    )
    assert {r["service_request_id"]: r["service_code"] for r in both} == {
        submitted["graffiti_north"]: "graffiti",
        submitted["pothole_north"]: "pothole",
    }

    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = client.get_service_requests(start_date=since)
    assert {r["service_request_id"] for r in recent} == set(submitted.values())

    if fmt == "json":
        # An empty answer is an empty list. (georeport's XML mode cannot read one: see above.)
        assert client.get_service_requests(status="closed") == []


def test_georeport_sees_an_unknown_request_as_an_http_404(base_url: str) -> None:
    client = georeport.GeoReport(base_url)
    with pytest.raises(georeport.georeport.requests.HTTPError) as raised:
        client.get_service_request("26-99999999")
    assert raised.value.response.status_code == 404
    [error] = raised.value.response.json()
    assert error["code"] == 404


# --- civicbot 0.4.0 ----------------------------------------------------------------------------


@pytest.fixture
def civicbot_client(base_url: str) -> Open311Client:
    endpoint = Endpoint(id="testcity", name="Test City", base_url=base_url, write=True)
    # Its politeness delay between calls to one host is configuration; none is needed here.
    transport = HttpTransport(rate_limiter=RateLimiter(min_interval=0))
    return Open311Client(endpoint, transport, jurisdiction_id="testcity.gov")


def test_civicbot_lists_services_and_reads_definitions(civicbot_client: Open311Client) -> None:
    listed = civicbot_client.list_services()

    assert {s["service_code"]: s["service_name"] for s in listed} == SERVICE_NAMES
    definition = civicbot_client.get_service_definition("pothole")
    assert definition["service_code"] == "pothole"
    assert [(a["code"], a["datatype"], a["required"]) for a in definition["attributes"]] == [
        ("location", "singlevaluelist", True),
        ("depth_cm", "number", False),
    ]
    assert [v["key"] for v in definition["attributes"][0]["values"]] == [
        "street",
        "crosswalk",
        "alley",
    ]


def test_civicbot_submits_single_and_multi_value_answers_and_reads_them_back(
    civicbot_client: Open311Client, app_key: IssuedKey, places: Places
) -> None:
    lat, lng = places.ward2_near_north
    graffiti = civicbot_client.create_request(
        "graffiti",
        dry_run=False,
        confirm="SEND",
        api_key=app_key.key,
        validate_remote=True,  # checks the answers against our live service definition
        lat=lat,
        lng=lng,
        description="Tag on the bridge",
        attributes={"surface": ["brick", "metal"], "offensive": "no", "where_on_building": "Door"},
        account_id="acct-7",
    )
    lat, lng = places.ward1_near_west
    pothole = civicbot_client.create_request(
        "pothole",
        dry_run=False,
        confirm="SEND",
        api_key=app_key.key,
        validate_remote=True,
        lat=lat,
        lng=lng,
        attributes={"location": "alley", "depth_cm": 8},
    )

    # The form it sent: the spec's bracket names, `[]` for the multi-value list.
    assert graffiti.form["attribute[surface][]"] == ["brick", "metal"]
    assert graffiti.form["attribute[offensive]"] == "no"
    # The answer: a list of one, an id (never a token for a realtime service), our echo.
    [answer] = graffiti.response
    assert answer["account_id"] == "acct-7"
    assert answer["service_notice"] is None
    assert "token" not in answer
    graffiti_number = answer["service_request_id"]
    [answer] = pothole.response
    pothole_number = answer["service_request_id"]
    assert answer["account_id"] is None

    stored = ServiceRequest.objects.get(tracking_number=graffiti_number)
    assert stored.answers == {
        "surface": ["brick", "metal"],
        "offensive": "no",
        "where_on_building": "Door",
    }
    assert ServiceRequest.objects.get(tracking_number=pothole_number).answers == {
        "location": "alley",
        "depth_cm": 8,
    }

    read = civicbot_client.get_request(graffiti_number)
    assert read is not None
    assert (read["service_request_id"], read["service_code"]) == (graffiti_number, "graffiti")
    assert (read["service_name"], read["description"]) == ("Graffiti Removal", "Tag on the bridge")
    assert read["status"] == "open"
    assert "account_id" not in read  # personal data stays private

    listed = civicbot_client.list_requests(service_code="graffiti", status="open")
    assert [r["service_request_id"] for r in listed] == [graffiti_number]
    both = civicbot_client.list_requests(service_request_ids=[graffiti_number, pothole_number])
    assert {r["service_request_id"] for r in both} == {graffiti_number, pothole_number}


def test_civicbot_validates_answers_against_the_live_definition(
    civicbot_client: Open311Client, app_key: IssuedKey, places: Places
) -> None:
    lat, lng = places.ward2_near_north
    with pytest.raises(ValidationError) as raised:
        civicbot_client.create_request(
            "graffiti",
            dry_run=False,
            confirm="SEND",
            api_key=app_key.key,
            validate_remote=True,
            lat=lat,
            lng=lng,
            attributes={"surface": ["wood"]},
        )
    assert raised.value.problems == [
        "attribute 'surface': ['wood'] not in ['brick', 'glass', 'metal']"
    ]
    assert not ServiceRequest.objects.exists()


def test_civicbot_gets_the_spec_errors_from_the_server(
    civicbot_client: Open311Client, app_key: IssuedKey, places: Places
) -> None:
    lat, lng = places.ward2_near_north
    # Without validate_remote the client sends what it is given; the server says what is wrong.
    with pytest.raises(HttpError) as raised:
        civicbot_client.create_request(
            "graffiti", dry_run=False, confirm="SEND", api_key=app_key.key, lat=lat, lng=lng
        )
    assert raised.value.status == 400
    errors = json.loads(raised.value.body)
    assert [e["code"] for e in errors] == [400] * len(errors)
    assert any("surface" in e["description"] for e in errors)

    with pytest.raises(HttpError) as raised:
        civicbot_client.create_request(
            "pothole",
            dry_run=False,
            confirm="SEND",
            api_key="c311_not-a-key",
            lat=lat,
            lng=lng,
            attributes={"location": "street"},
        )
    assert raised.value.status == 403
    assert not ServiceRequest.objects.exists()


# --- boston311 0.1.1 ---------------------------------------------------------------------------


@pytest.fixture
def boston(base_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    # Its base URL is a module constant; setting it is the only way to point it at a city.
    monkeypatch.setattr(boston311.api, "BOSTON_API_ENDPOINT", f"{base_url}/")
    return boston311


def test_boston311_reads_services_and_requests_into_its_strict_models(
    boston: Any, submitted: dict[str, str]
) -> None:
    services = boston.get_services()

    assert len(services) == 4
    assert sorted(services.list_service_names()) == sorted(SERVICE_NAMES.values())
    assert services.get_service_code("Graffiti Removal") == "graffiti"
    assert {s.service_code: s.metadata for s in services.services} == {
        "graffiti": True,
        "pothole": True,
        "sewer_cave_in": False,
        "street_light": False,
    }

    number = submitted["pothole_west"]
    one = boston.get_service_request(number)
    assert one.service_request_id == number
    assert one.status == "open"
    assert (one.service_code, one.service_name) == ("pothole", "Pothole in Street")
    assert one.address == "1200 W Taylor St"
    assert (one.lat, one.long) == pytest.approx((41.87, -87.68))
    assert one.requested_datetime.utcoffset() is not None
    assert one.media_url is None and one.expected_datetime is not None
    assert one.agency_responsible == "Transportation"
    photo = boston.get_service_request(submitted["pothole_north"]).media_url
    assert str(photo) == "https://photos.example.org/pothole-north.jpg"

    # It sends whole seconds in UTC ("...Z"): a window up to now could miss this second's
    # requests, so it ends a minute from now.
    now = datetime.now(tz=ZoneInfo(settings.CITY_TIME_ZONE))
    potholes = boston.get_service_requests(
        service_code="pothole",
        start_date=now - timedelta(days=2),
        end_date=now + timedelta(minutes=1),
    )
    assert {r.service_request_id for r in potholes.service_requests} == {
        submitted["pothole_west"],
        submitted["pothole_north"],
    }
    opened = boston.get_service_requests(status=boston.datamodels.Status.OPEN)
    assert {r.service_request_id for r in opened.service_requests} == set(submitted.values())
    assert len(boston.get_service_requests(status=boston.datamodels.Status.CLOSED)) == 0


# --- chicagorequests 0.0.5 ---------------------------------------------------------------------


class FailFastScraper(chicagorequests.APIScraper):
    """Its own scraper, with retries set to none."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**kwargs, "retry_attempts": 0})


@pytest.fixture
def chicago(base_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    # Its URL is a class attribute; setting it is the only way to point it at a city.
    monkeypatch.setattr(chicagorequests.Downloader, "BASE_URL", f"{base_url}/requests.json")
    monkeypatch.setattr(chicagorequests, "APIScraper", FailFastScraper)
    return chicagorequests


def test_chicagorequests_command_line_downloads_a_day_range_with_extensions(
    chicago: Any, submitted: dict[str, str]
) -> None:
    today = datetime.now(tz=ZoneInfo("America/Chicago")).date()
    result = CliRunner().invoke(
        chicago.main,
        ["--start-date", f"{today - timedelta(days=1)}", "--end-date", f"{today}"],
        catch_exceptions=False,
    )

    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    by_number = {row["service_request_id"]: row for row in rows}
    assert set(by_number) == set(submitted.values())
    graffiti = by_number[submitted["graffiti_north"]]
    assert graffiti["service_name"] == "Graffiti Removal"
    assert graffiti["extended_attributes"]["channel"] == "api"
    assert graffiti["extended_attributes"]["ward"] == "2"
    assert sorted((a["code"], a["value"]) for a in graffiti["attributes"]) == [
        ("offensive", "yes"),
        ("surface", "brick"),
        ("surface", "glass"),
    ]
    assert [n["type"] for n in graffiti["notes"]][:1] == ["opened"]
    assert by_number[submitted["pothole_west"]]["extended_attributes"]["ward"] == "1"


def test_chicagorequests_downloader_reads_chosen_services_in_a_window(
    chicago: Any, submitted: dict[str, str]
) -> None:
    now = datetime.now(tz=ZoneInfo("America/Chicago"))
    downloader = chicago.Downloader(request_type=["pothole", "graffiti"])

    rows = downloader((now - timedelta(hours=2), now + timedelta(hours=2)))

    assert {row["service_request_id"]: row["service_code"] for row in rows} == {
        submitted["pothole_west"]: "pothole",
        submitted["pothole_north"]: "pothole",
        submitted["graffiti_north"]: "graffiti",
    }
    pothole = next(r for r in rows if r["service_request_id"] == submitted["pothole_west"])
    assert sorted((a["code"], a["value"]) for a in pothole["attributes"]) == [
        ("depth_cm", "12"),
        ("location", "crosswalk"),
    ]
    assert pothole["extended_attributes"]["community_area"] == "28"
    assert downloader((now - timedelta(days=3), now - timedelta(days=2))) == []
