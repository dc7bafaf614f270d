"""A resident reports a problem with plain HTML forms: no JavaScript, no map, just an address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from civic311.choices import Channel, Status
from civic311.resident.tests.conftest import MADISON_1200, Report
from civic311.service_requests.models import ReporterContact, ServiceRequest, TimelineEntry

pytestmark = pytest.mark.django_db


def form(**overrides: Any) -> dict[str, Any]:
    data = {
        "address": "1200 W Madison St",
        "attribute[location]": "street",
        "attribute[depth_cm]": "12",
        "description": "Deep one, right by the bus stop.",
        "first_name": "",
        "last_name": "",
        "email": "",
        "phone": "",
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_services_are_grouped_with_plain_descriptions(client: Client, services: Any) -> None:
    page = client.get("/report/").content.decode()
    assert "Streets" in page and "Sanitation" in page and "Water" in page
    assert 'href="/report/pothole/"' in page
    assert "Pothole in Street" in page


def test_searching_narrows_the_services(client: Client, services: Any) -> None:
    page = client.get("/report/", {"q": "graffiti"}).content.decode()
    assert "Graffiti Removal" in page
    assert "Pothole in Street" not in page
    page = client.get("/report/", {"q": "zzzz"}).content.decode()
    assert "Nothing matches" in page


def test_an_anonymous_report_by_address_gets_a_tracking_number(
    client: Client, services: Any, addresses: None
) -> None:
    response = client.post("/report/pothole/", form())

    assert response.status_code == 302
    sr = ServiceRequest.objects.get()
    assert response["Location"] == f"/report/sent/{sr.tracking_number}"
    assert sr.channel == Channel.WEB
    assert sr.service.service_code == "pothole"
    assert (sr.lat, sr.long) == MADISON_1200
    assert sr.address == "1200 W Madison St"
    assert (sr.ward, sr.community_area) == ("1", "28")
    assert sr.answers == {"location": "street", "depth_cm": 12}
    assert sr.description == "Deep one, right by the bus stop."
    assert not ReporterContact.objects.exists()
    assert TimelineEntry.objects.filter(request=sr, type="request.opened").count() == 1

    page = client.get(response["Location"]).content.decode()
    assert sr.tracking_number in page
    assert f'href="/track/{sr.tracking_number}"' in page
    assert f'action="/track/{sr.tracking_number}/follow"' in page  # follow by email


def test_contact_details_are_kept_private_and_the_reporter_is_told_updates_come(
    client: Client, services: Any, addresses: None
) -> None:
    response = client.post(
        "/report/pothole/",
        form(first_name="Rosa", last_name="Diaz", email="Rosa@Example.org", phone="312 555 0199"),
    )

    sr = ServiceRequest.objects.get()
    contact = ReporterContact.objects.get(request=sr)
    assert (contact.first_name, contact.email, contact.phone) == (
        "Rosa",
        "rosa@example.org",
        "3125550199",
    )
    assert contact.language == "en"
    confirmation = client.get(response["Location"]).content.decode()
    assert "We will email you when it changes" in confirmation
    tracking = client.get(f"/track/{sr.tracking_number}").content.decode()
    for secret in ("Rosa", "Diaz", "rosa@example.org", "555"):
        assert secret not in tracking


def test_a_pin_is_used_as_it_is_and_the_address_filled_from_it(
    client: Client, services: Any, addresses: None
) -> None:
    lat, long = 41.88197, -87.65699
    response = client.post(
        "/report/street_light/", form(address="", lat=str(lat), long=str(long), point_for="pin")
    )

    assert response.status_code == 302
    sr = ServiceRequest.objects.get()
    assert (sr.lat, sr.long) == (lat, long)
    assert sr.address == "1200 W Madison St"  # the nearest known address


def test_the_address_is_looked_up_once_per_submission(
    client: Client, services: Any, addresses: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from civic311.geo.geocoders import AddressPointGeocoder

    calls: list[str] = []
    real = AddressPointGeocoder.geocode

    def counting(self: AddressPointGeocoder, text: str) -> Any:
        calls.append(text)
        return real(self, text)

    monkeypatch.setattr(AddressPointGeocoder, "geocode", counting)
    assert client.post("/report/pothole/", form()).status_code == 302
    assert calls == ["1200 W Madison St"]


def test_a_service_that_does_not_exist_is_not_found(client: Client, services: Any) -> None:
    assert client.get("/report/no_such_thing/").status_code == 404


def test_an_open_request_nearby_is_offered_before_storing(
    client: Client, services: Any, addresses: None, report: Report
) -> None:
    earlier = report("pothole", where=(41.88200, -87.65700), description="Big pothole")

    offered = client.post("/report/pothole/", form())

    assert offered.status_code == 200
    assert ServiceRequest.objects.count() == 1  # nothing stored yet
    page = offered.content.decode()
    assert "already reported nearby" in page
    assert earlier.tracking_number in page
    assert f'action="/track/{earlier.tracking_number}/follow"' in page
    assert "Follow this one instead" in page
    point = f"{MADISON_1200[0]:.5f},{MADISON_1200[1]:.5f}"
    assert f'name="offered" value="{point}"' in page
    assert "Deep one, right by the bus stop.</textarea>" in page

    # "Mine is different": the same form, sent again, is stored (and linked, for a pothole).
    sent = client.post("/report/pothole/", form(offered=point))
    assert sent.status_code == 302
    mine = ServiceRequest.objects.exclude(pk=earlier.pk).get()
    assert mine.parent == earlier
    assert mine.status == Status.CLOSED_DUPLICATE


def test_a_closed_request_or_another_service_nearby_is_not_offered(
    client: Client, services: Any, addresses: None, report: Report
) -> None:
    report("graffiti", where=MADISON_1200, answers={"surface": ["brick"]})
    assert client.post("/report/pothole/", form()).status_code == 302
