"""Role boundaries, enforced by the actions themselves (the console only mirrors them): a
refused change raises NotPermitted and leaves no trace on the request or its timeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from civic311.choices import Channel, Status, TimelineType
from civic311.lib.errors import NotPermitted
from civic311.service_requests import actions, permissions
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import ServiceRequest, TimelineEntry
from civic311.service_requests.permissions import Verb
from civic311.testing import Places, Services, Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(services: Services, places: Places) -> Callable[..., ServiceRequest]:
    def make(service_code: str, where: tuple[float, float] | None = None) -> ServiceRequest:
        lat, long = where or places.ward1_near_west
        answers = {"location": "street"} if service_code == "pothole" else {}
        return actions.submit_request(
            service_code=service_code,
            channel=Channel.WEB,
            actor=Actor.resident(),
            lat=lat,
            long=long,
            answers=answers,
        ).request

    return make


def refused(change: Callable[[], Any], request: ServiceRequest) -> None:
    entries = TimelineEntry.objects.filter(request=request).count()
    before = ServiceRequest.objects.values().get(pk=request.pk)
    with pytest.raises(NotPermitted):
        change()
    assert TimelineEntry.objects.filter(request=request).count() == entries
    assert ServiceRequest.objects.values().get(pk=request.pk) == before


def test_a_streets_user_cannot_close_a_water_request(staff: Staff, reported: Any) -> None:
    sewer = reported("sewer_cave_in")
    refused(
        lambda: actions.close(
            request=sewer, status=Status.CLOSED_FIXED, actor=Actor.staff(staff.streets)
        ),
        sewer,
    )
    closed = actions.close(
        request=sewer, status=Status.CLOSED_FIXED, actor=Actor.staff(staff.water)
    )
    assert closed.status == Status.CLOSED_FIXED


def test_staff_of_another_department_cannot_set_status_note_or_merge(
    staff: Staff, reported: Any
) -> None:
    sewer, other = reported("sewer_cave_in"), reported("sewer_cave_in")
    streets = Actor.staff(staff.streets)
    refused(
        lambda: actions.change_status(request=sewer, status=Status.IN_PROGRESS, actor=streets),
        sewer,
    )
    refused(lambda: actions.add_note(request=sewer, note="x", actor=streets, public=False), sewer)
    refused(lambda: actions.merge(request=sewer, into=other, actor=streets), sewer)
    refused(
        lambda: actions.reroute(
            request=sewer, actor=streets, reason="x", department_code="streets"
        ),
        sewer,
    )


def test_staff_can_reroute_their_own_request_to_another_department(
    staff: Staff, reported: Any
) -> None:
    pothole = reported("pothole")
    moved = actions.reroute(
        request=pothole,
        actor=Actor.staff(staff.cdot_supervisor),
        reason="It is a caved-in sewer.",
        service_code="sewer_cave_in",
    )
    assert moved.department.code == "water"
    # Now it is Water's: Transportation can no longer work it, Water can.
    assert not permissions.allowed(staff.cdot, Verb.WORK, moved)
    assert permissions.allowed(staff.water, Verb.WORK, moved)
    entry = TimelineEntry.objects.get(request=moved, type=TimelineType.REROUTED)
    assert entry.actor_id == staff.cdot_supervisor.pk
    assert entry.actor_label == "Transportation"


def test_an_operator_cannot_change_a_closed_request(staff: Staff, reported: Any) -> None:
    pothole = reported("pothole")
    operator = Actor.staff(staff.operator)
    actions.add_note(request=pothole, note="Caller asked for news.", actor=operator, public=False)
    refused(
        lambda: actions.change_status(request=pothole, status=Status.IN_PROGRESS, actor=operator),
        pothole,
    )
    closed = actions.close(
        request=pothole, status=Status.CLOSED_FIXED, actor=Actor.staff(staff.cdot)
    )
    refused(
        lambda: actions.add_note(
            request=closed, note="Called again.", actor=operator, public=False
        ),
        closed,
    )
    refused(lambda: actions.reopen(request=closed, actor=operator, note="Still there."), closed)


def test_only_a_supervisor_reopens(staff: Staff, reported: Any) -> None:
    pothole = actions.close(
        request=reported("pothole"), status=Status.CLOSED_FIXED, actor=Actor.staff(staff.cdot)
    )
    refused(
        lambda: actions.reopen(request=pothole, actor=Actor.staff(staff.cdot), note="x"), pothole
    )
    reopened = actions.reopen(
        request=pothole, actor=Actor.staff(staff.cdot_supervisor), note="The patch failed."
    )
    assert reopened.status == Status.OPEN


def test_a_ward_office_reads_and_notes_only_its_own_ward(
    staff: Staff, reported: Any, places: Places
) -> None:
    in_ward1 = reported("pothole", places.ward1_near_west)
    in_ward2 = reported("pothole", places.ward2_near_north)
    assert (in_ward1.ward, in_ward2.ward) == ("1", "2")
    office = staff.ward1_office
    assert permissions.allowed(office, Verb.SEE_INTERNAL, in_ward1)
    assert not permissions.allowed(office, Verb.SEE_INTERNAL, in_ward2)
    assert not permissions.allowed(staff.ward2_office, Verb.SEE_INTERNAL, in_ward1)
    actions.add_note(
        request=in_ward1, note="Alderman's office called.", actor=Actor.staff(office), public=False
    )
    refused(
        lambda: actions.add_note(
            request=in_ward2, note="x", actor=Actor.staff(office), public=False
        ),
        in_ward2,
    )
    refused(
        lambda: actions.close(
            request=in_ward1, status=Status.CLOSED_FIXED, actor=Actor.staff(office)
        ),
        in_ward1,
    )


def test_an_administrator_may_do_anything(staff: Staff, reported: Any) -> None:
    sewer = reported("sewer_cave_in")
    closed = actions.close(
        request=sewer, status=Status.CLOSED_FIXED, actor=Actor.staff(staff.admin)
    )
    actions.reopen(request=closed, actor=Actor.staff(staff.admin), note="Checked again.")


def test_a_logged_in_user_without_a_role_can_do_nothing(
    staff: Staff, reported: Any, places: Places, django_user_model: Any
) -> None:
    nobody = django_user_model.objects.create(username="nobody")
    pothole = reported("pothole")
    refused(
        lambda: actions.add_note(
            request=pothole, note="x", actor=Actor(label="x", user=nobody), public=True
        ),
        pothole,
    )
    lat, long = places.ward1_near_west
    with pytest.raises(NotPermitted):
        actions.submit_request(
            service_code="graffiti",
            channel=Channel.STAFF,
            actor=Actor(label="x", user=nobody),
            lat=lat,
            long=long,
        )
    assert ServiceRequest.objects.count() == 1


def test_residents_and_apps_act_without_a_role(reported: Any) -> None:
    pothole = reported("pothole")
    closed = actions.close(request=pothole, status=Status.CLOSED_FIXED, actor=Actor.app("App"))
    assert closed.status == Status.CLOSED_FIXED
