"""The request page: answers, map with nearby requests, duplicates both ways, the full
timeline with public and internal entries told apart, and the work forms with response
templates; a mistake shows the form again with the reason, nothing stored."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from civic311.choices import Channel, Status, TimelineType
from civic311.service_requests import actions
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import TimelineEntry
from civic311.staff.models import ResponseTemplate
from civic311.staff.tests.conftest import LogIn, Report
from civic311.testing import Places, Services, Staff

pytestmark = pytest.mark.django_db

CITY = ZoneInfo("America/Chicago")  # the test settings' CITY_TIME_ZONE


def test_it_shows_the_answers_nearby_requests_duplicates_and_the_whole_timeline(
    staff: Staff, report: Report, log_in: LogIn, places: Places
) -> None:
    lat, long = places.ward2_near_north
    parent = report("pothole", where=(lat, long), description="Deep hole at the bus stop.")
    duplicate = report("pothole", where=(lat + 0.0001, long))  # joins it (within 50 m)
    neighbour = report("pothole", where=(lat + 0.001, long))  # ~110 m: nearby, not joined
    cdot = Actor.staff(staff.cdot)
    actions.add_note(request=parent, note="Check the curb too.", actor=cdot, public=False)
    actions.change_status(
        request=parent, status=Status.IN_PROGRESS, actor=cdot, note="Crew on the way."
    )

    page = log_in(staff.cdot).get(f"/staff/requests/{parent.tracking_number}/").content.decode()
    assert "Deep hole at the bus stop." in page
    assert "Question location?" in page and "In the street" in page  # key shown by its name
    assert neighbour.tracking_number in page and "m away" in page
    assert f'href="/staff/requests/{duplicate.tracking_number}/"' in page
    assert '<li id="entry-' in page
    assert page.count('class="internal"') == 1
    assert "Check the curb too." in page and "Crew on the way." in page
    assert "Status: Open → In progress" in page
    assert "(Tina)" in page
    assert "{# sms" not in page and "Text messages" not in page

    child = log_in(staff.cdot).get(f"/staff/requests/{duplicate.tracking_number}/")
    assert f'href="/staff/requests/{parent.tracking_number}/"' in child.content.decode()


def test_requests_from_text_messages_show_their_transcript(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    # The conversation itself is tested in civic311/sms/tests/test_the_transcript_is_for_staff.py.
    sr = report("sewer_cave_in", channel=Channel.SMS)
    page = log_in(staff.water).get(f"/staff/requests/{sr.tracking_number}/").content.decode()
    assert "Text message conversation" in page
    assert "No text messages are stored for this request." in page


def test_a_response_template_fills_the_public_note(
    staff: Staff, report: Report, log_in: LogIn, services: Services
) -> None:
    sr = report("sewer_cave_in")
    fixed = ResponseTemplate.objects.create(
        name="Repaired",
        service=services.sewer,
        status=Status.CLOSED_FIXED,
        text="We repaired the sewer. Thank you for reporting it.",
    )
    ResponseTemplate.objects.create(name="For potholes", service=services.pothole, text="x")
    client = log_in(staff.water)
    page = client.get(f"/staff/requests/{sr.tracking_number}/").content.decode()
    assert "Repaired (Completed)" in page and "For potholes" not in page

    wrong = client.post(
        f"/staff/requests/{sr.tracking_number}/close/",
        {"status": Status.CLOSED_NOT_FIXED, "template": fixed.pk},
    )
    assert wrong.status_code == 400
    assert "This template is for “Completed”." in wrong.content.decode()

    done = client.post(
        f"/staff/requests/{sr.tracking_number}/close/",
        {"status": Status.CLOSED_FIXED, "template": fixed.pk},
    )
    assert done.status_code == 302
    sr.refresh_from_db()
    assert sr.status_notes == "We repaired the sewer. Thank you for reporting it."


def test_a_refused_change_shows_the_form_again_with_the_reason(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    sr = report("sewer_cave_in")
    response = log_in(staff.water).post(
        f"/staff/requests/{sr.tracking_number}/close/", {"status": Status.CLOSED_NOT_FIXED}
    )
    assert response.status_code == 400
    assert "Please explain, in a note." in response.content.decode()
    assert TimelineEntry.objects.filter(request=sr).count() == 1


def test_scheduling_reads_the_city_s_time_and_merging_takes_a_typed_number(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    sr, other = report("sewer_cave_in"), report("sewer_cave_in")
    client = log_in(staff.water)
    tomorrow = (timezone.now() + timedelta(days=1)).astimezone(CITY)
    day = tomorrow.strftime("%Y-%m-%d")
    response = client.post(
        f"/staff/requests/{sr.tracking_number}/schedule/",
        {"when": f"{day}T09:30", "note": "Crew booked."},
    )
    assert response.status_code == 302
    sr.refresh_from_db()
    assert sr.status == Status.SCHEDULED
    assert sr.scheduled_for is not None
    assert sr.scheduled_for.astimezone(CITY).strftime("%Y-%m-%d %H:%M") == f"{day} 09:30"

    year, serial = other.tracking_number.split("-")
    response = client.post(
        f"/staff/requests/{sr.tracking_number}/merge/", {"into": f"{year} {int(serial)}"}
    )
    assert response.status_code == 302
    sr.refresh_from_db()
    assert (sr.status, sr.parent_id) == (Status.CLOSED_DUPLICATE, other.pk)
    assert TimelineEntry.objects.filter(request=other, type=TimelineType.DUPLICATE_ATTACHED)

    unknown = client.post(f"/staff/requests/{other.tracking_number}/merge/", {"into": "99-999"})
    assert unknown.status_code == 400
    assert "There is no request 99-999." in unknown.content.decode()


def test_an_unknown_request_or_action_is_not_found(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    client = log_in(staff.water)
    assert client.get("/staff/requests/26-99999999/").status_code == 404
    sr = report("sewer_cave_in")
    assert client.post(f"/staff/requests/{sr.tracking_number}/explode/").status_code == 404
