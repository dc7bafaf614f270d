"""mySociety servicerequestupdates: back offices pull and push status updates."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from civic311.apikeys.actions import IssuedKey
from civic311.choices import Channel, Status, TimelineType
from civic311.georeport.tests.conftest import parse_xml
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services

pytestmark = pytest.mark.django_db
URL = "/open311/v2/servicerequestupdates.json"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def pothole(services: Services, places: Places) -> ServiceRequest:
    lat, long = places.ward1_near_west
    return actions.submit_request(
        service_code="pothole",
        channel=Channel.WEB,
        actor=actions.Actor.resident(),
        lat=lat,
        long=long,
        answers={"location": "street"},
    ).request


def test_updates_made_by_staff_can_be_pulled(api: Client, pothole: ServiceRequest) -> None:
    staff = actions.Actor(label="Transportation")
    actions.change_status(request=pothole, status=Status.SCHEDULED, actor=staff, note="Tuesday.")
    actions.add_note(request=pothole, note="Internal.", actor=staff, public=False)
    actions.close(request=pothole, status=Status.CLOSED_FIXED, actor=staff, note="Filled.")

    data = api.get(URL).json()

    assert [(u["status"], u["description"]) for u in data] == [
        ("ACTION_SCHEDULED", "Tuesday."),
        ("FIXED", "Filled."),
    ]
    assert {u["service_request_id"] for u in data} == {pothole.tracking_number}
    root = parse_xml(api.get("/open311/v2/servicerequestupdates.xml").content)
    assert root.tag == "service_request_updates"
    assert [u.findtext("status") for u in root.findall("request_update")] == [
        "ACTION_SCHEDULED",
        "FIXED",
    ]


def post(api: Client, key: IssuedKey, **form: str) -> object:
    return api.post(URL, {"api_key": key.key, **form})


def test_a_back_office_pushes_progress_and_the_fix(
    api: Client, pothole: ServiceRequest, back_office_key: IssuedKey
) -> None:
    number = pothole.tracking_number
    first = post(
        api,
        back_office_key,
        service_request_id=number,
        update_id="wm-1",
        status="IN_PROGRESS",
        description="Crew on site.",
        updated_datetime="2026-11-20T09:00:00-06:00",
    )
    assert first.status_code == 200, first.content  # type: ignore[attr-defined]
    post(
        api,
        back_office_key,
        service_request_id=number,
        update_id="wm-2",
        status="FIXED",
        description="Patched.",
    )

    pothole.refresh_from_db()
    assert pothole.status == Status.CLOSED_FIXED
    types = list(pothole.timeline.values_list("type", "actor_label"))
    assert types[1:] == [
        (TimelineType.STATUS_CHANGED, "Works Manager"),
        (TimelineType.CLOSED, "Works Manager"),
    ]
    assert [u["update_id"] for u in first.json()] == [  # type: ignore[attr-defined]
        str(pothole.timeline.get(type=TimelineType.STATUS_CHANGED).pk)
    ]


def test_a_pushed_update_sent_twice_is_applied_once(
    api: Client, pothole: ServiceRequest, back_office_key: IssuedKey
) -> None:
    form = {
        "service_request_id": pothole.tracking_number,
        "update_id": "wm-9",
        "status": "INVESTIGATING",
    }
    first = post(api, back_office_key, **form)
    second = post(api, back_office_key, **form)
    assert first.json() == second.json()  # type: ignore[attr-defined]
    assert pothole.timeline.count() == 2


def test_only_keys_allowed_to_push_updates_may(
    api: Client, pothole: ServiceRequest, app_key: IssuedKey
) -> None:
    response = post(
        api, app_key, service_request_id=pothole.tracking_number, update_id="x", status="FIXED"
    )
    assert response.status_code == 403  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("form", "status", "fragment"),
    [
        ({"status": "DUPLICATE", "update_id": "1"}, 400, "Merge duplicates"),
        ({"status": "BANANA", "update_id": "1"}, 400, "Unknown status"),
        ({"status": "FIXED"}, 400, "update_id"),
        (
            {"status": "FIXED", "update_id": "1", "updated_datetime": "2026-11-20 09:00"},
            400,
            "W3C datetime",
        ),
    ],
)
def test_bad_pushes_are_refused_and_change_nothing(
    api: Client,
    pothole: ServiceRequest,
    back_office_key: IssuedKey,
    form: dict[str, str],
    status: int,
    fragment: str,
) -> None:
    response = post(api, back_office_key, service_request_id=pothole.tracking_number, **form)
    assert response.status_code == status  # type: ignore[attr-defined]
    assert fragment in " ".join(e["description"] for e in response.json())  # type: ignore[attr-defined]
    pothole.refresh_from_db()
    assert pothole.status == Status.OPEN and pothole.timeline.count() == 1


def test_an_update_for_an_unknown_request_is_a_404(
    api: Client, services: Services, back_office_key: IssuedKey
) -> None:
    response = post(
        api, back_office_key, service_request_id="26-99999999", update_id="1", status="FIXED"
    )
    assert response.status_code == 404  # type: ignore[attr-defined]
