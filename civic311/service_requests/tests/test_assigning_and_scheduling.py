"""Department staff assign a request to a person of their department or a crew (internal), and
schedule the work (public, with the day the resident is told)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from civic311.choices import Channel, Status, TimelineType
from civic311.lib import clock
from civic311.lib.errors import InvalidInput, NotPermitted
from civic311.service_requests import actions
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.wording import request_lines
from civic311.testing import Places, Services, Staff

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


@pytest.fixture
def pothole(services: Services, places: Places) -> ServiceRequest:
    lat, long = places.ward1_near_west
    with clock.at(NOW):
        return actions.submit_request(
            service_code="pothole",
            channel=Channel.WEB,
            actor=Actor.resident(),
            lat=lat,
            long=long,
            answers={"location": "street"},
        ).request


def test_a_supervisor_assigns_a_request_to_a_person_and_a_crew(
    pothole: ServiceRequest, staff: Staff
) -> None:
    actions.assign(
        request=pothole,
        actor=Actor.staff(staff.cdot_supervisor),
        assignee=staff.cdot,
        crew="Pothole crew 3",
        note="Tina knows the block.",
    )

    pothole.refresh_from_db()
    assert (pothole.assignee_id, pothole.crew) == (staff.cdot.pk, "Pothole crew 3")
    entry = pothole.timeline.order_by("-id")[0]
    assert entry.type == TimelineType.ASSIGNED
    assert entry.public is False
    assert entry.actor_id == staff.cdot_supervisor.pk
    assert entry.data["to"] == {"assignee": staff.cdot.pk, "crew": "Pothole crew 3"}
    assert entry.data["assignee_name"] == "Tina"
    # Residents see the work, not who does it.
    assert [line.text for line in request_lines(pothole)] == ["Received"]


def test_unassigning_clears_both_and_assigning_the_same_again_is_refused(
    pothole: ServiceRequest, staff: Staff
) -> None:
    actor = Actor.staff(staff.cdot)
    actions.assign(request=pothole, actor=actor, assignee=staff.cdot)
    with pytest.raises(InvalidInput) as caught:
        actions.assign(request=pothole, actor=actor, assignee=staff.cdot)
    assert [p.code for p in caught.value.problems] == ["assign.unchanged"]

    actions.assign(request=pothole, actor=actor)
    pothole.refresh_from_db()
    assert (pothole.assignee_id, pothole.crew) == (None, "")


def test_work_goes_only_to_people_of_the_request_s_department(
    pothole: ServiceRequest, staff: Staff
) -> None:
    with pytest.raises(InvalidInput) as caught:
        actions.assign(request=pothole, actor=Actor.staff(staff.cdot), assignee=staff.water)
    assert [p.code for p in caught.value.problems] == ["assign.not_in_department"]
    assert "Walt does not work in Transportation." in caught.value.problems[0].message
    pothole.refresh_from_db()
    assert pothole.assignee_id is None


def test_staff_of_another_department_cannot_assign_or_schedule(
    pothole: ServiceRequest, staff: Staff
) -> None:
    with pytest.raises(NotPermitted):
        actions.assign(request=pothole, actor=Actor.staff(staff.water), crew="Water crew")
    with pytest.raises(NotPermitted):
        actions.schedule(
            request=pothole, actor=Actor.staff(staff.operator), when=NOW + timedelta(days=2)
        )
    assert pothole.timeline.count() == 1


def test_scheduling_books_the_work_and_tells_the_resident_the_day(
    pothole: ServiceRequest, staff: Staff
) -> None:
    booked = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # 8:00 in Chicago
    with clock.at(NOW):
        actions.schedule(
            request=pothole, actor=Actor.staff(staff.cdot), when=booked, note="Crew booked."
        )

    pothole.refresh_from_db()
    assert (pothole.status, pothole.scheduled_for) == (Status.SCHEDULED, booked)
    assert pothole.status_notes == "Crew booked."
    entry = pothole.timeline.order_by("-id")[0]
    assert (entry.type, entry.public) == (TimelineType.SCHEDULED, True)
    assert entry.data == {
        "from": "open",
        "to": "scheduled",
        "for": "2026-12-01T14:00:00+00:00",
        "status": "scheduled",
    }
    line = request_lines(pothole)[-1]
    assert (line.text, line.note) == ("Work scheduled for Tuesday, Dec. 1, 2026", "Crew booked.")


def test_work_cannot_be_scheduled_in_the_past_or_on_a_closed_request(
    pothole: ServiceRequest, staff: Staff
) -> None:
    actor = Actor.staff(staff.cdot)
    with clock.at(NOW), pytest.raises(InvalidInput) as caught:
        actions.schedule(request=pothole, actor=actor, when=NOW - timedelta(days=1))
    assert [p.code for p in caught.value.problems] == ["schedule.past"]

    actions.close(request=pothole, status=Status.CLOSED_FIXED, actor=actor)
    # An administrator may change anything, so what stops them is the closed request itself.
    with clock.at(NOW), pytest.raises(InvalidInput) as caught:
        actions.schedule(
            request=pothole, actor=Actor.staff(staff.admin), when=NOW + timedelta(days=1)
        )
    assert [p.code for p in caught.value.problems] == ["request.closed"]
