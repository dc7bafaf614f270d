"""submit_request: the one path every channel takes into Civic311."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from civic311.choices import Channel, Status, TimelineType
from civic311.lib import clock
from civic311.lib.errors import InvalidInput
from civic311.service_requests.actions import Actor, Contact, submit_request
from civic311.service_requests.models import ReporterContact, ServiceRequest, TimelineEntry
from civic311.testing import Places, Services

pytestmark = pytest.mark.django_db


def submit_pothole(places: Places, **overrides: object) -> ServiceRequest:
    lat, long = places.ward1_near_west
    arguments: dict[str, object] = {
        "service_code": "pothole",
        "channel": Channel.WEB,
        "actor": Actor.resident(),
        "lat": lat,
        "long": long,
        "answers": {"location": "street"},
        "description": "Deep hole by the bus stop",
    }
    arguments.update(overrides)
    return submit_request(**arguments).request  # type: ignore[arg-type]


def problem_codes(error: InvalidInput) -> set[str]:
    return {p.code for p in error.problems}


def test_a_valid_submission_gets_a_tracking_number_place_department_and_due_date(
    services: Services, places: Places
) -> None:
    request = submit_pothole(places)

    assert re.fullmatch(r"\d{2}-\d{8}", request.tracking_number)
    assert (request.ward, request.community_area, request.zipcode) == ("1", "28", "60607")
    assert request.department.code == "cdot"
    assert request.status == Status.OPEN
    assert request.expected_at == request.requested_at + timedelta(hours=7 * 24)
    entries = list(request.timeline.all())
    assert [e.type for e in entries] == [TimelineType.OPENED]
    assert entries[0].data["channel"] == "web"


def test_tracking_numbers_follow_each_other_within_a_year(
    services: Services, places: Places
) -> None:
    first = submit_pothole(places)
    second = submit_pothole(places, service_code="street_light", answers={})

    year, number = first.tracking_number.split("-")
    assert second.tracking_number == f"{year}-{int(number) + 1:08d}"


def test_the_year_prefix_is_the_citys_year_not_utcs(services: Services, places: Places) -> None:
    from datetime import UTC, datetime

    # 03:00 UTC on 1 January 2027 is still 31 December 2026 in Chicago.
    with clock.at(datetime(2027, 1, 1, 3, 0, tzinfo=UTC)):
        request = submit_pothole(places)
    assert request.tracking_number.startswith("26-")


def test_an_invalid_submission_reports_every_problem_and_stores_nothing(
    services: Services, places: Places
) -> None:
    with pytest.raises(InvalidInput) as caught:
        submit_pothole(
            places,
            service_code="graffiti",
            answers={"surface": ["brick", "marble"], "offensive": "maybe"},
            lat=places.outside_city[0],
            long=places.outside_city[1],
            description="x" * 4001,
            contact=Contact(email="not an email"),
        )

    assert problem_codes(caught.value) == {
        "attribute.not_in_list",
        "location.outside_city",
        "description.too_long",
        "contact.email_invalid",
    }
    assert {p.field for p in caught.value.problems} >= {
        "attribute[surface]",
        "attribute[offensive]",
        "description",
    }
    assert not ServiceRequest.objects.exists()
    assert not TimelineEntry.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_it_rejects_an_unknown_service_code_and_a_missing_location_together(
    services: Services,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        submit_request(service_code="unicorn", channel=Channel.API, actor=Actor.app("App"))

    assert problem_codes(caught.value) == {"service_code.unknown", "location.missing"}
    assert not ServiceRequest.objects.exists()


def test_it_rejects_a_missing_required_answer(services: Services, places: Places) -> None:
    with pytest.raises(InvalidInput) as caught:
        submit_pothole(places, answers={"depth_cm": "12"})

    (problem,) = caught.value.problems
    assert (problem.code, problem.field) == ("attribute.required", "attribute[location]")
    assert "Question location?" in problem.message


def test_it_rejects_non_numeric_and_out_of_range_coordinates(services: Services) -> None:
    with pytest.raises(InvalidInput) as caught:
        submit_request(
            service_code="street_light",
            channel=Channel.API,
            actor=Actor.app("App"),
            lat="forty-one",
            long="-187.5",
        )
    assert {(p.code, p.field) for p in caught.value.problems} == {
        ("location.not_a_number", "lat"),
        ("location.out_of_range", "long"),
    }


def test_the_reporters_contact_is_kept_apart_from_the_request(
    services: Services, places: Places
) -> None:
    request = submit_pothole(
        places,
        contact=Contact(first_name="Ana", email="Ana@Example.org", phone="(312) 555-0100"),
    )

    contact = ReporterContact.objects.get(request=request)
    assert (contact.first_name, contact.email, contact.phone) == (
        "Ana",
        "ana@example.org",
        "3125550100",
    )


def test_an_anonymous_submission_stores_no_contact(services: Services, places: Places) -> None:
    request = submit_pothole(places)
    assert not ReporterContact.objects.filter(request=request).exists()


def test_answers_are_stored_normalised(services: Services, places: Places) -> None:
    request = submit_pothole(
        places,
        service_code="graffiti",
        answers={
            "surface": ["brick", "metal", "brick"],
            "offensive": "no",
            "seen_at": "2026-05-01T08:15:00-05:00",
            "where_on_building": "  front door  ",
        },
    )
    assert request.answers == {
        "surface": ["brick", "metal"],
        "offensive": "no",
        "seen_at": "2026-05-01T08:15:00-05:00",
        "where_on_building": "front door",
    }


def test_the_submission_enqueues_its_notification_in_the_same_transaction(
    services: Services, places: Places
) -> None:
    request = submit_pothole(places)
    entry = request.timeline.get()

    task = DBTaskResult.objects.get()
    assert task.task_path == "civic311.notifications.tasks.dispatch_event"
    assert task.args_kwargs == {"args": [entry.pk], "kwargs": {}}
