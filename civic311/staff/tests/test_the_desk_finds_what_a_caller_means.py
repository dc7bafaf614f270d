"""The desk's one box: a tracking number however typed, an address, or the caller's phone."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from civic311.service_requests import actions
from civic311.service_requests.actions import Actor
from civic311.staff.callers import phone_digits, phone_forms
from civic311.staff.tests.reports import Report, report
from civic311.testing import Addresses, Places, Staff

pytestmark = pytest.mark.django_db
__all__ = ["report"]


@pytest.fixture
def operator(client: Client, staff: Staff) -> Client:
    client.force_login(staff.operator)
    return client


def page(client: Client, q: str) -> str:
    response = client.get("/staff/desk/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def numbers_on(html: str) -> list[str]:
    return re.findall(r'data-open="\d">\s*<b>(\d\d-\d{8})</b>', html)


@pytest.mark.parametrize("typed", ["{n}", "#{n}", "{short}", "{nodash}"])
def test_a_tracking_number_is_found_however_it_is_typed(
    operator: Client, report: Report, typed: str
) -> None:
    sr = report("pothole")
    year, serial = sr.tracking_number.split("-")
    text = typed.format(n=sr.tracking_number, short=str(int(serial)), nodash=year + serial)

    html = page(operator, text)

    assert numbers_on(html)[0] == sr.tracking_number
    assert "Pothole in Street" in html
    assert f'href="/staff/requests/{sr.tracking_number}/" data-open="1"' in html


def test_the_status_is_there_to_be_read_aloud(operator: Client, report: Report) -> None:
    sr = report("pothole")
    actions.change_status(request=sr, status="in_progress", actor=Actor(label="Transportation"))

    html = page(operator, sr.tracking_number)

    assert "A crew from Transportation is working on it." in html


def test_an_unknown_number_says_nothing_was_found(operator: Client, services: object) -> None:
    html = page(operator, "26-09999999")

    assert numbers_on(html) == []
    assert "Nothing found for “26-09999999”" in html


def test_an_address_shows_its_requests_and_open_ones_nearby_of_any_service(
    operator: Client, report: Report, addresses: Addresses, places: Places
) -> None:
    here = report("pothole")
    lat, long = places.ward1_near_west
    around_the_corner = report("sewer_cave_in", where=(lat + 0.0009, long))  # ~100 m north
    far = report("sewer_cave_in", where=(lat + 0.01, long))  # ~1.1 km north
    closed = report("street_light", where=(lat + 0.0009, long))
    actions.close(request=closed, status="closed_fixed", actor=Actor(label="Transportation"))

    html = page(operator, "1200 west madison street")

    found = numbers_on(html)
    assert found[0] == here.tracking_number  # at the address first
    assert around_the_corner.tracking_number in found
    assert far.tracking_number not in found
    assert closed.tracking_number not in found  # not at the address, and not open
    assert "1200 W Madison St" in html
    assert "At this address" in html and "Open nearby" in html


def test_an_unknown_address_says_so(operator: Client, addresses: Addresses) -> None:
    html = page(operator, "99999 N Nowhere Ave")

    assert "No address “99999 N Nowhere Ave” was found" in html


@pytest.mark.parametrize("typed", ["312-555-0100", "(312) 555 0100", "+1 312 555 0100"])
def test_a_caller_is_found_by_the_phone_they_reported_from(
    operator: Client, report: Report, typed: str
) -> None:
    mine = report("pothole", phone="312.555.0100")
    also_mine = report("sewer_cave_in", phone="+1 312 555 0100")
    someone_else = report("street_light", phone="312-555-0199")

    found = numbers_on(page(operator, typed))

    assert set(found) == {mine.tracking_number, also_mine.tracking_number}
    assert found[0] == also_mine.tracking_number  # newest first
    assert someone_else.tracking_number not in found


def test_the_desk_never_prints_the_callers_contact(operator: Client, report: Report) -> None:
    sr = report("pothole", phone="312-555-0100", email="rosa@example.org")

    html = page(operator, sr.tracking_number)

    assert "rosa@example.org" not in html and "Rosa" not in html


def test_phone_numbers_are_read_in_every_stored_form() -> None:
    assert phone_digits("312-555-0100") == "3125550100"
    assert phone_digits("Madison") == ""
    assert phone_digits("12345") == ""  # too short: a tracking number
    assert set(phone_forms("3125550100")) == {
        "3125550100",
        "+3125550100",
        "13125550100",
        "+13125550100",
    }
    assert "3125550100" in phone_forms("13125550100")


def test_the_desk_speaks_spanish_to_a_spanish_browser(
    client: Client, staff: Staff, report: Report
) -> None:
    sr = report("pothole")
    client.force_login(staff.operator)

    html = client.get("/staff/desk/", {"q": sr.tracking_number}, HTTP_ACCEPT_LANGUAGE="es").content
    text = html.decode()

    assert "Mostrador del centro de llamadas" in text
    assert "Leer en voz alta:" in text
