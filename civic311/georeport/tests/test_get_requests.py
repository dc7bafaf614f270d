"""GET requests and GET one request: the spec's filters and defaults, and the extensions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from civic311.choices import Channel, Status
from civic311.georeport.tests.conftest import assert_valid, parse_xml
from civic311.lib import clock
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services

pytestmark = pytest.mark.django_db
STAFF = actions.Actor(label="Transportation")


def make(
    code: str,
    point: tuple[float, float],
    *,
    days_ago: float = 1,
    answers: dict[str, object] | None = None,
    description: str = "",
    email: str = "",
) -> ServiceRequest:
    with clock.at(timezone.now() - timedelta(days=days_ago)):
        return actions.submit_request(
            service_code=code,
            channel=Channel.WEB,
            actor=actions.Actor.resident(),
            lat=point[0],
            long=point[1],
            answers=answers or {},  # type: ignore[arg-type]
            description=description,
            contact=actions.Contact(first_name="Ana", email=email, phone="3125550100"),
        ).request


def ids(response: object) -> list[str]:
    return [r["service_request_id"] for r in response.json()]  # type: ignore[attr-defined]


def get(api: Client, **params: object) -> object:
    response = api.get("/open311/v2/requests.json?" + urlencode(params))
    assert response.status_code == 200, response.content
    return response


@pytest.fixture
def city_requests(services: Services, places: Places) -> dict[str, ServiceRequest]:
    west, north = places.ward1_near_west, places.ward2_near_north
    found = {
        "light_new": make("street_light", north, days_ago=1, description="Dark corner"),
        "light_old": make("street_light", north, days_ago=120),
        "graffiti": make(
            "graffiti",
            west,
            days_ago=3,
            answers={"surface": ["brick", "glass"]},
            email="ana@example.org",
        ),
        "pothole": make("pothole", west, days_ago=10, answers={"location": "street"}),
    }
    actions.close(request=found["pothole"], status=Status.CLOSED_FIXED, actor=STAFF, note="Filled.")
    return found


def test_the_default_is_the_last_90_days_newest_first(
    api: Client, city_requests: dict[str, ServiceRequest]
) -> None:
    data = get(api).json()  # type: ignore[attr-defined]
    assert_valid(data, "requests")
    numbers = [city_requests[k].tracking_number for k in ("light_new", "graffiti", "pothole")]
    assert [r["service_request_id"] for r in data] == numbers


def test_a_request_has_every_field_and_no_personal_data(
    api: Client, city_requests: dict[str, ServiceRequest]
) -> None:
    pothole = city_requests["pothole"]
    [data] = api.get(f"/open311/v2/requests/{pothole.tracking_number}.json").json()
    assert_valid(data, "request")
    assert set(data) == {
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    }
    assert (data["status"], data["status_notes"], data["agency_responsible"]) == (
        "closed",
        "Filled.",
        "Transportation",
    )
    assert data["zipcode"] == "60607"
    # Chicago in winter or summer: an offset, never a naive time.
    assert data["requested_datetime"][-6:] in ("-05:00", "-06:00")
    body = api.get(f"/open311/v2/requests/{pothole.tracking_number}.json?extensions=true").content
    for private in (b"Ana", b"3125550100", b"example.org"):
        assert private not in body


def test_filters_by_service_status_and_ids(
    api: Client, city_requests: dict[str, ServiceRequest]
) -> None:
    light, graffiti, pothole = (city_requests[k] for k in ("light_new", "graffiti", "pothole"))
    assert ids(get(api, service_code="street_light,graffiti")) == [
        light.tracking_number,
        graffiti.tracking_number,
    ]
    assert ids(get(api, status="closed")) == [pothole.tracking_number]
    assert ids(get(api, status="open,closed")) == ids(get(api))
    # service_request_id overrides every other filter, the default window included.
    old = city_requests["light_old"].tracking_number
    assert set(
        ids(get(api, service_request_id=f"{old},{pothole.tracking_number}", status="open"))
    ) == {old, pothole.tracking_number}


def test_dates_choose_the_window(api: Client, city_requests: dict[str, ServiceRequest]) -> None:
    now = timezone.now()
    start = (now - timedelta(days=130)).isoformat()
    end = (now - timedelta(days=100)).isoformat()
    assert ids(get(api, start_date=start, end_date=end)) == [
        city_requests["light_old"].tracking_number
    ]
    assert ids(get(api, start_date=(now - timedelta(days=2)).isoformat())) == [
        city_requests["light_new"].tracking_number
    ]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"start_date": "2026-01-01T00:00:00"}, "start_date must be a W3C datetime"),
        ({"start_date": "yesterday"}, "start_date must be a W3C datetime"),
        (
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
            "at most 90 days apart",
        ),
        ({"status": "pending"}, "status must be open, closed"),
        ({"page_size": "5000"}, "page_size must be a whole number from 1 to 1000"),
        ({"page": "0"}, "page must be"),
        ({"bbox": "1,2,3"}, "bbox must be"),
        ({"lat": "41.8", "long": "east"}, "long must be a number"),
        ({"lat": "41.8", "long": "-87.6", "radius": "50000"}, "radius must be"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_problem(
    api: Client, services: Services, params: dict[str, str], fragment: str
) -> None:
    response = api.get("/open311/v2/requests.json?" + urlencode(params))
    assert response.status_code == 400
    assert fragment in response.json()[0]["description"]


def test_every_problem_is_reported_at_once(api: Client, services: Services) -> None:
    response = api.get("/open311/v2/requests.json?start_date=x&end_date=y&status=z&page=-1")
    assert response.status_code == 400
    assert len(response.json()) == 4


def test_an_empty_parameter_is_the_same_as_none(
    api: Client, city_requests: dict[str, ServiceRequest]
) -> None:
    assert ids(get(api, service_code="", status="", start_date="", page_size="")) == ids(get(api))


def test_paging(api: Client, city_requests: dict[str, ServiceRequest]) -> None:
    everything = ids(get(api))
    assert ids(get(api, page_size=2)) == everything[:2]
    assert ids(get(api, page_size=2, page=2)) == everything[2:]
    assert ids(get(api, page_size=2, page=3)) == []


def test_changes_since_include_old_requests_changed_recently(
    api: Client, city_requests: dict[str, ServiceRequest]
) -> None:
    old = city_requests["light_old"]
    actions.change_status(request=old, status=Status.SCHEDULED, actor=STAFF)
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    assert ids(get(api, updated_after=since)) == [
        city_requests["pothole"].tracking_number,
        old.tracking_number,
    ]


def test_where_by_box_and_by_radius(
    api: Client, city_requests: dict[str, ServiceRequest], places: Places
) -> None:
    lat, long = places.ward2_near_north
    box = f"{long - 0.01},{lat - 0.01},{long + 0.01},{lat + 0.01}"
    assert ids(get(api, bbox=box)) == [city_requests["light_new"].tracking_number]
    west_lat, west_long = places.ward1_near_west
    assert ids(get(api, lat=west_lat + 0.001, long=west_long, radius=150)) == [
        city_requests["graffiti"].tracking_number,
        city_requests["pothole"].tracking_number,
    ]
    assert ids(get(api, lat=west_lat + 0.001, long=west_long, radius=50)) == []


def test_text_search(api: Client, city_requests: dict[str, ServiceRequest]) -> None:
    assert ids(get(api, q="dark corner")) == [city_requests["light_new"].tracking_number]


def test_extensions_add_channel_place_answers_and_the_public_timeline(
    api: Client, city_requests: dict[str, ServiceRequest]
) -> None:
    graffiti = city_requests["graffiti"]
    actions.add_note(request=graffiti, note="Crew booked.", actor=STAFF, public=True)
    actions.add_note(request=graffiti, note="Internal only.", actor=STAFF, public=False)
    [data] = api.get(f"/open311/v2/requests/{graffiti.tracking_number}.json?extensions=true").json()
    assert data["extended_attributes"] == {
        "channel": "web",
        "status_detail": "open",
        "ward": "1",
        "community_area": "28",
        "duplicate": False,
        "parent_service_request_id": None,
        "title": "Graffiti Removal",
        "media_urls": [],
    }
    assert data["attributes"] == [
        {"code": "surface", "value": "brick"},
        {"code": "surface", "value": "glass"},
    ]
    assert [(n["type"], n["description"]) for n in data["notes"]] == [
        ("opened", None),
        ("activity", "Crew booked."),
    ]


def test_a_duplicate_points_to_its_parent(api: Client, services: Services, places: Places) -> None:
    first = make("pothole", places.ward1_near_west, answers={"location": "street"})
    second = make("pothole", places.ward1_near_west, answers={"location": "street"}, days_ago=0.5)
    [data] = api.get(f"/open311/v2/requests/{second.tracking_number}.json?extensions=true").json()
    assert data["status"] == "closed"
    assert data["extended_attributes"]["duplicate"] is True
    assert data["extended_attributes"]["parent_service_request_id"] == first.tracking_number


def test_requests_in_xml_element_by_element(
    api: Client, city_requests: dict[str, ServiceRequest]
) -> None:
    root = parse_xml(api.get("/open311/v2/requests.xml").content)
    assert root.tag == "service_requests"
    first = root.findall("request")[0]
    assert [c.tag for c in first][:4] == [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
    ]
    assert first.findtext("media_url") == ""
    assert float(first.findtext("lat") or "nan") == pytest.approx(41.90)


def test_an_empty_list_is_an_empty_element(api: Client, services: Services) -> None:
    assert api.get("/open311/v2/requests.json").json() == []
    root = parse_xml(api.get("/open311/v2/requests.xml").content)
    assert root.tag == "service_requests" and list(root) == []


def test_one_unknown_request_is_a_404(api: Client, services: Services) -> None:
    response = api.get("/open311/v2/requests/26-99999999.xml")
    assert response.status_code == 404
    assert parse_xml(response.content).findtext("error/code") == "404"


def test_test_requests_stay_out_of_public_lists(
    api: Client, services: Services, places: Places
) -> None:
    sandbox = actions.submit_request(
        service_code="street_light",
        channel=Channel.API,
        actor=actions.Actor.app("Sandbox"),
        lat=places.ward2_near_north[0],
        long=places.ward2_near_north[1],
        is_test=True,
    ).request
    assert ids(get(api)) == []
    # ... but the developer can still read it back by its number.
    assert api.get(f"/open311/v2/requests/{sandbox.tracking_number}.json").status_code == 200


def test_times_are_shown_in_the_citys_zone(api: Client, services: Services, places: Places) -> None:
    with clock.at(datetime(2026, 1, 15, 18, 0, tzinfo=UTC)):
        request = actions.submit_request(
            service_code="street_light",
            channel=Channel.WEB,
            actor=actions.Actor.resident(),
            lat=places.ward2_near_north[0],
            long=places.ward2_near_north[1],
        ).request
    [data] = api.get(f"/open311/v2/requests/{request.tracking_number}.json").json()
    assert data["requested_datetime"] == "2026-01-15T12:00:00-06:00"


def link_to_next(response: object) -> str:
    """The address in the `Link: <...>; rel="next"` header, or "" without one."""
    link = response.get("Link", "")  # type: ignore[attr-defined]
    return link[1 : link.index(">")] if link else ""


def test_paging_by_the_link_header(api: Client, city_requests: dict[str, ServiceRequest]) -> None:
    everything = ids(get(api))
    first = get(api, page_size=2, status="open,closed")
    following = link_to_next(first)
    assert following.startswith("/open311/v2/requests.json?") and "cursor=" in following
    assert "status=open%2Cclosed" in following and "page_size=2" in following
    second = api.get(following)
    assert ids(first) + ids(second) == everything and link_to_next(second) == ""


def test_a_page_of_changes_goes_on_from_the_last_change_seen(
    api: Client, city_requests: dict[str, ServiceRequest]
) -> None:
    since = (timezone.now() - timedelta(days=365)).isoformat()
    first = get(api, updated_after=since, page_size=1)
    changed = city_requests["light_old"]
    actions.change_status(request=changed, status=Status.SCHEDULED, actor=STAFF)
    rest = []
    following = link_to_next(first)
    while following:
        response = api.get(following)
        rest += ids(response)
        following = link_to_next(response)
    # In order of change, none skipped; a request changed while paging comes again, last,
    # with its new change (what a client keeping a copy needs).
    seen = ids(first) + rest
    assert seen[0] == seen[-1] == changed.tracking_number
    assert len(seen) == 5 and len(set(seen)) == 4


def test_a_cursor_the_api_did_not_give_is_a_400(api: Client, services: Services) -> None:
    response = api.get("/open311/v2/requests.json?cursor=not-ours")
    assert response.status_code == 400
    message = "cursor: cursor is not one this list gave: start again without it."
    assert response.json() == [{"code": 400, "description": message}]
    xml = parse_xml(api.get("/open311/v2/requests.xml?cursor=not-ours").content)
    assert xml.findtext("error/code") == "400"
