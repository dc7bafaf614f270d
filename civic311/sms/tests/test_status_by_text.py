"""STATUS and a number (or just the number, however typed) answers with the status in one
message: the service, the place, the status, a date and the tracking URL, nothing personal."""

from __future__ import annotations

from typing import Any

import pytest

from civic311.choices import Status
from civic311.service_requests.actions import (
    Actor,
    Contact,
    add_note,
    change_status,
)
from civic311.service_requests.models import ServiceRequest
from civic311.sms.tests.texting import Phone, web_pothole
from civic311.testing import Places

pytestmark = pytest.mark.django_db


@pytest.fixture
def pothole(streets: Any, places: Places) -> ServiceRequest:
    request = web_pothole(
        places.ward1_near_west,
        address="1200 W Madison St",
        contact=Contact(first_name="Maria", email="maria@example.org", phone="312-555-0177"),
    ).request
    change_status(request=request, status=Status.IN_PROGRESS, actor=Actor(label="Transportation"))
    add_note(
        request=request,
        note="Crew says caller is rude",
        actor=Actor(label="Transportation"),
        public=False,
    )
    return request


@pytest.mark.parametrize(
    "typed",
    [
        "STATUS {number}",
        "status {number}",
        "  Status:  #{number} ",
        "STATUS {year} {serial}",
        "status {year}{padded}",
        "{number}",
        "#{serial}",
        "{year} {serial}",
        "Status {serial}.",
    ],
)
def test_a_status_query_however_typed(rosa: Phone, pothole: ServiceRequest, typed: str) -> None:
    number = pothole.tracking_number
    year, padded = number.split("-")
    text = typed.format(number=number, year=year, padded=padded, serial=int(padded))

    reply = rosa.says(text)

    assert reply.startswith(f"311 request {number} (Pothole in Street at 1200 W Madison St)")
    assert ": In progress." in reply
    assert "Expected by" in reply
    assert f"https://311.example.org/track/{number}" in reply


def test_the_status_tells_nothing_personal_or_internal(
    rosa: Phone, pothole: ServiceRequest
) -> None:
    reply = rosa.says(f"STATUS {pothole.tracking_number}")
    for private in ("Maria", "maria@example.org", "555", "0177", "rude", "Crew"):
        assert private not in reply


def test_a_closed_duplicate_points_to_the_request_to_follow(
    rosa: Phone, pothole: ServiceRequest, places: Places
) -> None:
    duplicate = web_pothole(places.ward1_near_west)
    assert duplicate.duplicate_of is not None
    reply = rosa.says(duplicate.request.tracking_number)
    assert "Closed as a duplicate" in reply
    assert f"Follow {pothole.tracking_number} instead" in reply


def test_an_unknown_number_gets_a_helpful_answer(rosa: Phone, pothole: ServiceRequest) -> None:
    reply = rosa.says("STATUS 26-09999999")
    assert "We found no request 26-09999999" in reply
    assert "26-00012345" in reply
    assert rosa.says("STATUS").startswith("Send STATUS and the request number")


def test_a_status_query_keeps_a_report_under_way(rosa: Phone, pothole: ServiceRequest) -> None:
    menu = rosa.says("REPORT")
    reply = rosa.says(f"STATUS {pothole.tracking_number}")
    assert "In progress" in reply
    # The dialog still waits on the choice of service.
    number = next(part.split()[0] for part in menu.split(", ") if "Pothole" in part)
    assert "Where is it?" in rosa.says(number[-1])


def test_status_in_spanish(lucia: Phone, pothole: ServiceRequest) -> None:
    reply = lucia.says(f"ESTADO {pothole.tracking_number}")
    assert reply.startswith(
        f"Solicitud 311 {pothole.tracking_number} (Bache en la calle en 1200 W Madison St)"
    )
    assert ": En curso." in reply
    assert "Fecha prevista:" in reply
