"""The ward office view: its ward's requests with status and age, a CSV export, and requests
taken for constituents, in its own ward only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from civic311.choices import Channel, Status
from civic311.service_requests import actions
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import ServiceRequest
from civic311.staff import ward
from civic311.staff.tests.reports import Report, report
from civic311.staff.ward import may_see_contacts
from civic311.testing import Addresses, Places, Staff

pytestmark = pytest.mark.django_db
__all__ = ["report"]


def rows_of(response: Any) -> list[dict[str, str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_a_ward_office_goes_straight_to_its_ward(client: Client, staff: Staff) -> None:
    client.force_login(staff.ward1_office)

    response = client.get("/staff/ward/")

    assert response.status_code == 302 and response["Location"] == "/staff/ward/1/"


def test_other_staff_choose_a_ward(client: Client, staff: Staff, services: object) -> None:
    client.force_login(staff.operator)

    html = client.get("/staff/ward/").content.decode()

    assert 'href="/staff/ward/1/"' in html and 'href="/staff/ward/2/"' in html


@pytest.mark.parametrize(
    "url", ["/staff/ward/2/", "/staff/ward/2/requests.csv", "/staff/ward/2/new/"]
)
def test_a_ward_office_cannot_open_another_ward(
    client: Client, staff: Staff, report: Report, places: Places, url: str
) -> None:
    report("pothole", where=places.ward2_near_north, phone="312-555-0100")
    client.force_login(staff.ward1_office)

    response = client.get(url)

    assert response.status_code == 403
    assert b"3125550100" not in response.content


def test_the_ward_lists_its_own_requests_with_status_and_age(
    client: Client, staff: Staff, report: Report, places: Places
) -> None:
    old = report("sewer_cave_in", at=timezone.now() - timedelta(days=10))  # 2-day target
    fresh = report("street_light")
    elsewhere = report("street_light", where=places.ward2_near_north)
    done = report("graffiti")
    actions.close(request=done, status=Status.CLOSED_FIXED, actor=Actor(label="Streets"))
    client.force_login(staff.ward1_office)

    open_page = client.get("/staff/ward/1/").content.decode()
    all_page = client.get("/staff/ward/1/", {"status": "all"}).content.decode()

    assert old.tracking_number in open_page and fresh.tracking_number in open_page
    assert elsewhere.tracking_number not in open_page and elsewhere.tracking_number not in all_page
    assert done.tracking_number not in open_page and done.tracking_number in all_page
    assert '<td class="num">10</td>' in open_page  # the old one's age in days
    assert "(overdue)" in open_page
    assert "2 open requests, 1 past the city" in open_page


def test_the_page_goes_back_in_time_a_page_at_a_time(
    client: Client, staff: Staff, report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = [report("street_light", at=timezone.now() - timedelta(hours=n)) for n in range(3)]
    client.force_login(staff.ward1_office)
    monkeypatch.setattr(ward, "PAGE_SIZE", 2)

    first = client.get("/staff/ward/1/").content.decode()
    older = first.split('class="pager"><a href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(f"/staff/ward/1/{older}").content.decode()

    assert made[0].tracking_number in first and made[1].tracking_number in first
    assert made[2].tracking_number not in first
    assert made[2].tracking_number in second and made[0].tracking_number not in second


def test_an_older_requests_link_from_before_cursors_still_works(
    client: Client, staff: Staff, report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Those links carried the last row's time and id ("before=<requested_at>,<id>")."""
    made = [report("street_light", at=timezone.now() - timedelta(hours=n)) for n in range(3)]
    client.force_login(staff.ward1_office)
    monkeypatch.setattr(ward, "PAGE_SIZE", 2)

    before = f"{made[1].requested_at.isoformat()},{made[1].pk}"
    second = client.get("/staff/ward/1/", {"before": before}).content.decode()

    assert made[2].tracking_number in second and made[1].tracking_number not in second
    assert 'rel="prev"' in second  # and the way back to the newer ones


def test_the_csv_holds_the_wards_requests(
    client: Client, staff: Staff, report: Report, places: Places
) -> None:
    mine = report("street_light", description='=HYPERLINK("http://evil")', phone="3125550100")
    report("street_light", where=places.ward2_near_north)
    client.force_login(staff.ward1_office)

    response = client.get("/staff/ward/1/requests.csv", {"status": "all"})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert [r["tracking_number"] for r in rows] == [mine.tracking_number]
    row = rows[0]
    assert row["service_name"] == "Street Light Out" and row["status"] == "open"
    assert row["age_days"] == "0" and row["overdue"] == ""
    assert row["description"].startswith("'=")  # never run as a formula
    assert row["reporter_phone"] == "3125550100"  # a ward office may read its ward's contacts


def test_contacts_go_only_to_roles_that_may_read_them(staff: Staff) -> None:
    assert may_see_contacts(staff.ward1_office, "1")
    assert not may_see_contacts(staff.ward1_office, "2")
    assert may_see_contacts(staff.operator, "2")


def test_a_ward_office_takes_a_request_for_a_constituent_in_its_ward(
    client: Client, staff: Staff, services: object, addresses: Addresses
) -> None:
    client.force_login(staff.ward1_office)

    response = client.post(
        "/staff/ward/1/new/",
        {"service": "street_light", "address": addresses.ward1, "last_name": "Okafor"},
    )

    sr = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/ward/1/?taken={sr.tracking_number}"
    assert sr.channel == Channel.WARD_OFFICE and sr.ward == "1"
    assert sr.timeline.get().actor_label == "Ward 1 office"
    assert (
        f"Request {sr.tracking_number} taken" in client.get(response["Location"]).content.decode()
    )


def test_a_ward_office_cannot_take_a_request_in_another_ward(
    client: Client, staff: Staff, services: object, addresses: Addresses
) -> None:
    client.force_login(staff.ward1_office)

    response = client.post(
        "/staff/ward/1/new/", {"service": "street_light", "address": addresses.ward2}
    )

    assert response.status_code == 400
    assert "A ward office takes requests in its own ward; this is in ward 2." in (
        response.content.decode()
    )
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("who", ["operator", "streets", "cdot_supervisor"])
def test_only_ward_offices_take_requests_from_the_ward_view(
    client: Client, staff: Staff, services: object, who: str
) -> None:
    client.force_login(getattr(staff, who))

    assert client.get("/staff/ward/1/").status_code == 200
    assert client.get("/staff/ward/1/new/").status_code == 403


def test_an_unknown_ward_is_not_found(client: Client, staff: Staff, services: object) -> None:
    client.force_login(staff.operator)

    assert client.get("/staff/ward/99/").status_code == 404
