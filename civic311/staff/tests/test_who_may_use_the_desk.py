"""The desk is the call center's (and administrators'); an operator sees every request, logs
what callers add to open ones, and changes nothing else."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.choices import Status
from civic311.service_requests import actions
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import ServiceRequest, TimelineEntry
from civic311.staff.tests.reports import Report, report
from civic311.testing import Staff

pytestmark = pytest.mark.django_db
__all__ = ["report"]

PAGES = ["/staff/desk/", "/staff/desk/?q=26-00000001", "/staff/desk/new/"]


@pytest.mark.parametrize("who", ["ward1_office", "streets", "cdot_supervisor", "water"])
def test_other_roles_are_refused(client: Client, staff: Staff, services: object, who: str) -> None:
    client.force_login(getattr(staff, who))

    for url in PAGES:
        assert client.get(url).status_code == 403, url


def test_a_visitor_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/staff/desk/")

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


@pytest.mark.parametrize("who", ["operator", "admin"])
def test_operators_and_administrators_get_in(
    client: Client, staff: Staff, services: object, who: str
) -> None:
    client.force_login(getattr(staff, who))

    for url in PAGES:
        assert client.get(url).status_code == 200, url


def test_a_ward_office_cannot_note_through_the_desk(
    client: Client, staff: Staff, report: Report
) -> None:
    sr = report("pothole")  # in ward 1, its own ward
    client.force_login(staff.ward1_office)

    response = client.post(f"/staff/desk/note/{sr.tracking_number}/", {"note": "Called again."})

    assert response.status_code == 403
    assert not TimelineEntry.objects.filter(type="note.added").exists()


def test_an_operator_logs_what_the_caller_adds_as_an_internal_note(
    client: Client, staff: Staff, report: Report
) -> None:
    sr = report("pothole")
    client.force_login(staff.operator)

    response = client.post(
        f"/staff/desk/note/{sr.tracking_number}/", {"note": "Caller says it got deeper."}
    )

    assert response.status_code == 302
    note = TimelineEntry.objects.get(request=sr, type="note.added")
    assert note.note == "Caller says it got deeper." and not note.public
    assert note.actor_id == staff.operator.pk
    assert "Note added." in client.get(response["Location"]).content.decode()


def test_an_operator_sees_a_closed_request_but_cannot_change_it(
    client: Client, staff: Staff, report: Report
) -> None:
    sr = report("pothole")
    actions.close(request=sr, status=Status.CLOSED_FIXED, actor=Actor(label="Transportation"))
    client.force_login(staff.operator)

    seen = client.get("/staff/desk/", {"q": sr.tracking_number}).content.decode()
    refused = client.post(f"/staff/desk/note/{sr.tracking_number}/", {"note": "Still broken."})

    assert "Done: Transportation has completed the work." in seen
    assert f"/staff/desk/note/{sr.tracking_number}/" not in seen  # no note form offered
    assert refused.status_code == 403
    assert f"You may not add notes to request {sr.tracking_number}." in refused.content.decode()
    assert ServiceRequest.objects.get(pk=sr.pk).status == Status.CLOSED_FIXED
    assert not TimelineEntry.objects.filter(type="note.added").exists()


def test_an_empty_note_is_refused_with_a_reason(
    client: Client, staff: Staff, report: Report
) -> None:
    sr = report("pothole")
    client.force_login(staff.operator)

    response = client.post(f"/staff/desk/note/{sr.tracking_number}/", {"note": "  "})

    assert response.status_code == 400
    assert "Please explain, in a note." in response.content.decode()


def test_an_unknown_request_is_not_found(client: Client, staff: Staff) -> None:
    client.force_login(staff.operator)

    assert client.get("/staff/desk/taken/26-09999999/").status_code == 404
    assert client.post("/staff/desk/note/26-09999999/", {"note": "x"}).status_code == 404
