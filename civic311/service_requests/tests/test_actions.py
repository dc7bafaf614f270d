"""Every change to a request writes its timeline entry, refuses what makes no sense, and
enqueues its notification."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from civic311.choices import Channel, Status, TimelineType
from civic311.lib.errors import InvalidInput
from civic311.service_requests import actions
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import ServiceRequest, TimelineEntry
from civic311.testing import Places, Services

pytestmark = pytest.mark.django_db

STAFF = Actor(label="Transportation")


@pytest.fixture
def pothole(services: Services, places: Places) -> ServiceRequest:
    lat, long = places.ward1_near_west
    return actions.submit_request(
        service_code="pothole",
        channel=Channel.PHONE,
        actor=Actor(label="311 operator"),
        lat=lat,
        long=long,
        answers={"location": "crosswalk"},
    ).request


def last_entry(request: ServiceRequest) -> TimelineEntry:
    return request.timeline.order_by("-at", "-id")[0]


def test_changing_status_writes_a_status_changed_entry(pothole: ServiceRequest) -> None:
    actions.change_status(
        request=pothole, status=Status.IN_PROGRESS, actor=STAFF, note="Crew dispatched."
    )

    pothole.refresh_from_db()
    assert pothole.status == Status.IN_PROGRESS
    assert pothole.status_notes == "Crew dispatched."
    entry = last_entry(pothole)
    assert (entry.type, entry.note, entry.actor_label) == (
        TimelineType.STATUS_CHANGED,
        "Crew dispatched.",
        "Transportation",
    )
    assert entry.data == {"from": "open", "to": "in_progress", "status": "in_progress"}


def test_closing_writes_a_closed_entry_with_the_reason(pothole: ServiceRequest) -> None:
    actions.close(request=pothole, status=Status.CLOSED_FIXED, actor=STAFF, note="Filled.")

    pothole.refresh_from_db()
    assert pothole.is_closed and pothole.closed_at is not None
    assert pothole.open311_status == "closed"
    entry = last_entry(pothole)
    assert (entry.type, entry.data["to"], entry.note) == (
        TimelineType.CLOSED,
        "closed_fixed",
        "Filled.",
    )


def test_closing_as_not_fixed_needs_an_explanation(pothole: ServiceRequest) -> None:
    with pytest.raises(InvalidInput) as caught:
        actions.close(request=pothole, status=Status.CLOSED_NOT_FIXED, actor=STAFF)
    assert [p.code for p in caught.value.problems] == ["note.required"]
    pothole.refresh_from_db()
    assert pothole.status == Status.OPEN


def test_a_closed_request_cannot_change_status_until_reopened(pothole: ServiceRequest) -> None:
    actions.close(request=pothole, status=Status.CLOSED_FIXED, actor=STAFF)

    with pytest.raises(InvalidInput) as caught:
        actions.change_status(request=pothole, status=Status.IN_PROGRESS, actor=STAFF)
    assert [p.code for p in caught.value.problems] == ["request.closed"]

    actions.reopen(request=pothole, actor=Actor.resident(), note="Still there.")
    pothole.refresh_from_db()
    assert pothole.status == Status.OPEN and pothole.closed_at is None
    assert last_entry(pothole).type == TimelineType.REOPENED


def test_reopening_an_open_request_is_refused(pothole: ServiceRequest) -> None:
    with pytest.raises(InvalidInput) as caught:
        actions.reopen(request=pothole, actor=STAFF, note="Why?")
    assert [p.code for p in caught.value.problems] == ["request.open"]


def test_a_public_note_becomes_the_status_note_and_an_internal_one_does_not(
    pothole: ServiceRequest,
) -> None:
    actions.add_note(request=pothole, note="Parts ordered.", actor=STAFF, public=True)
    actions.add_note(request=pothole, note="Caller was rude.", actor=STAFF, public=False)

    pothole.refresh_from_db()
    assert pothole.status_notes == "Parts ordered."
    notes = list(
        pothole.timeline.filter(type=TimelineType.NOTE_ADDED).values_list("note", "public")
    )
    assert notes == [("Parts ordered.", True), ("Caller was rude.", False)]


def test_rerouting_the_pothole_to_a_sewer_cave_in_moves_it_to_water(
    pothole: ServiceRequest,
) -> None:
    number = pothole.tracking_number
    actions.reroute(
        request=pothole,
        service_code="sewer_cave_in",
        actor=STAFF,
        reason="This is a caved-in sewer, not a pothole.",
    )

    pothole.refresh_from_db()
    assert pothole.tracking_number == number
    assert (pothole.service.service_code, pothole.department.code) == ("sewer_cave_in", "water")
    # The sewer service's 48-hour target now applies, counted from the original report.
    assert pothole.expected_at == pothole.requested_at + timedelta(hours=48)
    entry = last_entry(pothole)
    assert entry.type == TimelineType.REROUTED
    assert entry.data == {
        "from": {"service": "pothole", "department": "cdot"},
        "to": {"service": "sewer_cave_in", "department": "water"},
        "status": "open",
    }
    assert pothole.timeline.count() == 2


def test_rerouting_to_an_unknown_department_is_refused_and_changes_nothing(
    pothole: ServiceRequest,
) -> None:
    with pytest.raises(InvalidInput):
        actions.reroute(request=pothole, department_code="nasa", actor=STAFF, reason="?")
    pothole.refresh_from_db()
    assert pothole.department.code == "cdot"
    assert pothole.timeline.count() == 1


def test_merging_closes_the_duplicate_and_records_it_on_both(
    services: Services, places: Places, pothole: ServiceRequest
) -> None:
    lat, long = places.ward2_near_north
    other = actions.submit_request(
        service_code="pothole",
        channel=Channel.WEB,
        actor=Actor.resident(),
        lat=lat,
        long=long,
        answers={"location": "street"},
    ).request

    actions.merge(request=other, into=pothole, actor=STAFF)

    other.refresh_from_db()
    assert (other.status, other.parent_id) == (Status.CLOSED_DUPLICATE, pothole.pk)
    assert last_entry(other).type == TimelineType.MERGED
    assert last_entry(pothole).type == TimelineType.DUPLICATE_ATTACHED
    assert last_entry(pothole).data == {"duplicate": other.tracking_number, "status": "open"}


def test_merging_into_a_duplicate_goes_to_its_parent(
    services: Services, places: Places, pothole: ServiceRequest
) -> None:
    lat, long = places.ward2_near_north

    def make() -> ServiceRequest:
        return actions.submit_request(
            service_code="street_light",
            channel=Channel.WEB,
            actor=Actor.resident(),
            lat=lat,
            long=long,
        ).request

    middle, last = make(), make()
    actions.merge(request=middle, into=pothole, actor=STAFF)

    actions.merge(request=last, into=middle, actor=STAFF)

    last.refresh_from_db()
    assert last.parent_id == pothole.pk


def test_a_request_cannot_be_merged_into_itself(pothole: ServiceRequest) -> None:
    with pytest.raises(InvalidInput) as caught:
        actions.merge(request=pothole, into=pothole, actor=STAFF)
    assert [p.code for p in caught.value.problems] == ["merge.self"]


def test_every_action_enqueues_one_notification_per_timeline_entry(
    pothole: ServiceRequest,
) -> None:
    actions.change_status(request=pothole, status=Status.ACKNOWLEDGED, actor=STAFF)
    actions.add_note(request=pothole, note="Scheduled for Tuesday.", actor=STAFF, public=True)
    actions.close(request=pothole, status=Status.CLOSED_FIXED, actor=STAFF)

    entry_ids = sorted(TimelineEntry.objects.values_list("pk", flat=True))
    enqueued = sorted(t.args_kwargs["args"][0] for t in DBTaskResult.objects.all())
    assert enqueued == entry_ids


def test_a_change_that_rolls_back_leaves_no_entry_and_no_task(pothole: ServiceRequest) -> None:
    entries, tasks = TimelineEntry.objects.count(), DBTaskResult.objects.count()

    def close_then_fail() -> None:
        with transaction.atomic():
            actions.close(request=pothole, status=Status.CLOSED_FIXED, actor=STAFF)
            raise RuntimeError("the caller's transaction fails after the action")

    with pytest.raises(RuntimeError):
        close_then_fail()

    pothole.refresh_from_db()
    assert pothole.status == Status.OPEN
    assert (TimelineEntry.objects.count(), DBTaskResult.objects.count()) == (entries, tasks)
