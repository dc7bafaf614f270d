"""The console's pages and forms hold the same role boundaries as the actions: a refused change
is a 403 that stores nothing, and a page offers only what the user may do."""

from __future__ import annotations

import pytest

from civic311.choices import Status
from civic311.service_requests import actions
from civic311.service_requests.actions import Actor, Contact
from civic311.service_requests.models import ServiceRequest, TimelineEntry
from civic311.staff.tests.conftest import LogIn, Report
from civic311.testing import Places, Staff

pytestmark = pytest.mark.django_db


def unchanged(sr: ServiceRequest, entries: int) -> bool:
    fresh = ServiceRequest.objects.get(pk=sr.pk)
    return fresh.status == sr.status and TimelineEntry.objects.filter(request=sr).count() == entries


def test_a_streets_user_cannot_close_a_water_request(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    sewer = report("sewer_cave_in")
    client = log_in(staff.streets)

    page = client.get(f"/staff/requests/{sewer.tracking_number}/").content.decode()
    assert "Close the request" not in page and "Set status" not in page

    response = client.post(
        f"/staff/requests/{sewer.tracking_number}/close/",
        {"status": Status.CLOSED_FIXED, "note": "Done."},
    )
    assert response.status_code == 403
    assert f"You may not change request {sewer.tracking_number}." in response.content.decode()
    assert unchanged(sewer, 1)

    water = log_in(staff.water)
    response = water.post(
        f"/staff/requests/{sewer.tracking_number}/close/",
        {"status": Status.CLOSED_FIXED, "note": "Done."},
    )
    assert response.status_code == 302
    sewer.refresh_from_db()
    assert sewer.status == Status.CLOSED_FIXED


def test_a_streets_user_sees_a_water_request_and_may_not_reroute_it(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    sewer = report("sewer_cave_in")
    client = log_in(staff.streets)
    assert client.get(f"/staff/requests/{sewer.tracking_number}/").status_code == 200
    response = client.post(
        f"/staff/requests/{sewer.tracking_number}/reroute/",
        {"department": "streets", "reason": "Ours now."},
    )
    assert response.status_code == 403
    assert unchanged(sewer, 1)


def test_staff_may_reroute_their_own_request_to_another_department(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    pothole = report("pothole")
    response = log_in(staff.cdot).post(
        f"/staff/requests/{pothole.tracking_number}/reroute/",
        {"department": "water", "reason": "A sewer."},
    )
    assert response.status_code == 302
    pothole.refresh_from_db()
    assert pothole.department.code == "water"


def test_a_ward_office_cannot_see_another_ward_s_internal_notes(
    staff: Staff, report: Report, log_in: LogIn, places: Places
) -> None:
    sr = report(
        "sewer_cave_in",
        where=places.ward1_near_west,
        contact=Contact(first_name="Marisol", email="marisol@example.org"),
    )
    actions.add_note(
        request=sr,
        note="Inspector: main line cracked.",
        actor=Actor.staff(staff.water),
        public=False,
    )
    actions.add_note(
        request=sr, note="Crew will come Tuesday.", actor=Actor.staff(staff.water), public=True
    )
    url = f"/staff/requests/{sr.tracking_number}/"

    other_ward = log_in(staff.ward2_office).get(url).content.decode()
    assert "Crew will come Tuesday." in other_ward
    assert "Inspector: main line cracked." not in other_ward
    assert "marisol@example.org" not in other_ward and "Marisol" not in other_ward
    assert "public entries only" in other_ward

    own_ward = log_in(staff.ward1_office).get(url).content.decode()
    assert "Inspector: main line cracked." in own_ward
    assert "marisol@example.org" in own_ward

    response = log_in(staff.ward2_office).post(
        f"{url}note/", {"note": "From ward 2.", "public": "on"}
    )
    assert response.status_code == 403
    assert not TimelineEntry.objects.filter(note="From ward 2.").exists()


def test_an_operator_cannot_change_a_closed_request(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    sr = report("sewer_cave_in")
    actions.close(request=sr, status=Status.CLOSED_FIXED, actor=Actor.staff(staff.water))
    sr.refresh_from_db()
    client = log_in(staff.operator)
    url = f"/staff/requests/{sr.tracking_number}/"

    page = client.get(url).content.decode()
    assert "Add the note" not in page and "Reopen" not in page
    for action, data in [
        ("note", {"note": "Caller says it is still broken.", "public": "on"}),
        ("reopen", {"note": "Still broken."}),
        ("status", {"status": Status.IN_PROGRESS}),
    ]:
        response = client.post(f"{url}{action}/", data)
        assert response.status_code == 403, action
    assert unchanged(sr, 2)

    # On an open request the operator logs the caller's note.
    open_one = report("sewer_cave_in")
    response = client.post(
        f"/staff/requests/{open_one.tracking_number}/note/", {"note": "Caller: water rising."}
    )
    assert response.status_code == 302
    entry = TimelineEntry.objects.filter(request=open_one).latest("id")
    assert (entry.note, entry.public, entry.actor_id) == (
        "Caller: water rising.",
        False,
        staff.operator.pk,
    )


def test_bulk_changes_refuse_other_departments_requests_one_by_one(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    sewer, pothole = report("sewer_cave_in"), report("pothole")
    response = log_in(staff.water).post(
        "/staff/queue/bulk/",
        {
            "number": [sewer.tracking_number, pothole.tracking_number],
            "action": "close",
            "close_status": Status.CLOSED_FIXED,
            "note": "Swept.",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 request changed; 1 refused." in text
    assert f"You may not change request {pothole.tracking_number}." in text
    sewer.refresh_from_db()
    pothole.refresh_from_db()
    assert (sewer.status, pothole.status) == (Status.CLOSED_FIXED, Status.OPEN)


def test_operators_and_ward_offices_get_no_bulk_actions(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    sr = report("sewer_cave_in")
    for user in (staff.operator, staff.ward1_office):
        client = log_in(user)
        page = client.get("/staff/queue/?department=water").content.decode()
        assert sr.tracking_number in page
        assert "Change the picked requests" not in page
        response = client.post(
            "/staff/queue/bulk/",
            {"number": [sr.tracking_number], "action": "close", "close_status": "closed_fixed"},
        )
        assert response.status_code == 403
    assert unchanged(sr, 1)


def test_every_console_change_is_attributed_to_its_user(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    sr = report("sewer_cave_in")
    client = log_in(staff.water_supervisor)
    url = f"/staff/requests/{sr.tracking_number}/"
    client.post(f"{url}acknowledge/")
    client.post(f"{url}assign/", {"assignee": staff.water.pk, "crew": "Crew 7"})
    client.post(f"{url}note/", {"note": "Checked the map."})
    entries = list(TimelineEntry.objects.filter(request=sr).order_by("id"))[1:]
    assert [e.type for e in entries] == ["request.status_changed", "request.assigned", "note.added"]
    assert {e.actor_id for e in entries} == {staff.water_supervisor.pk}
    assert {e.actor_label for e in entries} == {"Water Management"}
    page = client.get(url).content.decode()
    assert page.count("(Wanda)") == 3
