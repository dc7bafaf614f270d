"""A rerouted request tells its followers which department has it now (same number, same
history), in their language; scheduled work tells them the day."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from civic311.lib import clock
from civic311.service_requests.actions import Actor, assign, reroute, schedule
from civic311.testing import Places, Services, Staff
from civic311.testing.mail import (
    Mailbox,
    html_of,
    run_worker,
    submit_with_email,
    text_of,
)

pytestmark = pytest.mark.django_db(transaction=True)

STREET = {"location": "street"}


def test_followers_hear_where_a_rerouted_request_went(
    services: Services, places: Places, staff: Staff, mailbox: Mailbox
) -> None:
    request = submit_with_email(places, "rosa@example.org", service_code="pothole", answers=STREET)
    reroute(
        request=request,
        actor=Actor.staff(staff.cdot_supervisor),
        reason="This is a caved-in sewer, not a pothole.",
        service_code="sewer_cave_in",
    )
    run_worker()

    _received, moved = mailbox.messages
    number = request.tracking_number
    assert moved["Subject"] == f"311 request {number}: passed to Water Management"
    text = text_of(moved)
    assert (
        f"311 request {number} turned out to be a job for Water Management, so the city has "
        "passed it to them. It keeps its tracking number and its history." in text
    )
    assert "The city's note:\nThis is a caved-in sewer, not a pothole." in text
    assert "Service: Sewer Cave-In Inspection" in text
    assert "Water Management" in html_of(moved)
    assert "Carla" not in text  # the staff member's name stays in the audit log


def test_a_spanish_speaking_follower_is_told_in_spanish(
    services: Services, places: Places, staff: Staff, mailbox: Mailbox
) -> None:
    request = submit_with_email(
        places, "rosa@example.org", service_code="pothole", language="es", answers=STREET
    )
    reroute(
        request=request,
        actor=Actor.staff(staff.cdot_supervisor),
        reason="Es un hundimiento del alcantarillado.",
        department_code="water",
    )
    run_worker()

    moved = mailbox.messages[-1]
    number = request.tracking_number
    assert moved["Subject"] == f"Solicitud 311 {number}: pasada a Water Management"
    assert "Conserva su número de seguimiento y su historial" in text_of(moved)


def test_followers_hear_the_day_work_is_booked_but_not_who_is_assigned(
    services: Services, places: Places, staff: Staff, mailbox: Mailbox
) -> None:
    request = submit_with_email(places, "rosa@example.org")  # a street light: Transportation
    with clock.at(datetime(2026, 11, 30, 15, 0, tzinfo=UTC)):
        assign(request=request, actor=Actor.staff(staff.cdot), crew="Lights crew 2")
        schedule(
            request=request,
            actor=Actor.staff(staff.cdot),
            when=datetime(2026, 12, 2, 16, 30, tzinfo=UTC),
        )
    run_worker()

    subjects = [m["Subject"] for m in mailbox.messages]
    number = request.tracking_number
    assert subjects == [f"311 request {number} received", f"311 request {number}: new status"]
    text = text_of(mailbox.messages[1])
    assert "it is now “Scheduled”" in text
    assert "The work is booked for Dec. 2, 2026, 10:30 a.m." in text
    assert "Lights crew" not in text
