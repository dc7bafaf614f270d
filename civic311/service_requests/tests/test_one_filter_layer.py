"""The filter layer every list reads (service_requests/filters.py): each field narrows the
requests as it says, fields combine, an empty parameter is one not sent, every bad value is
reported at once with a stable code and the parameter's own name, and the SQL is the one the
indexes were tuned for."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from civic311.choices import Channel, Priority, Status
from civic311.lib import clock
from civic311.service_requests import actions, filters
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Departments, Places, Services, Staff

pytestmark = pytest.mark.django_db


class Everything(filters.RequestFilters):
    """Every field of the layer, under names an interface might give them."""

    number = filters.TrackingNumberFilter()
    service = filters.ServiceFilter(known=filters.is_service)
    side = filters.Open311StatusFilter()
    status = filters.StatusFilter()
    start = filters.MomentFilter("requested_at", "gte")
    changed_after = filters.MomentFilter("updated_at", "gt")
    since = filters.DayFilter("requested_at", edge="from")
    until = filters.DayFilter("requested_at", edge="until")
    period = filters.RecentFilter(periods={"7": 7, "all": None})
    bbox = filters.BoxFilter()
    near = filters.NearFilter(names=("lat", "long", "radius"))
    ward = filters.AreaFilter()
    community_area = filters.AreaFilter()
    zipcode = filters.AreaFilter()
    department = filters.DepartmentFilter(choices=[("all", "all"), ("water", "water")])
    priority = filters.PriorityFilter()
    sla = filters.SlaFilter()
    age = filters.AgeFilter(coerce=int, empty_value=None, choices=[("7", "7")])
    assignee = filters.AssigneeFilter(choices=[(filters.ME, "me"), (filters.NOBODY, "nobody")])
    q = filters.TextFilter()
    test = filters.TestRequestsFilter()


class Public(filters.RequestFilters):
    """A list that does not offer the `test` filter."""

    side = filters.Open311StatusFilter(fallback=["open"])
    defaults = {"side": "open"}


def submit(
    places: Places, code: str, where: str, *, days_ago: float, **extra: Any
) -> ServiceRequest:
    lat, long = places.ward1_near_west if where == "west" else places.ward2_near_north
    with clock.at(timezone.now() - timedelta(days=days_ago)):
        return actions.submit_request(
            service_code=code,
            channel=Channel.WEB,
            actor=Actor.resident(),
            lat=lat,
            long=long,
            answers={"location": "street"} if code == "pothole" else {},
            **extra,
        ).request


@pytest.fixture
def made(services: Services, places: Places, staff: Staff) -> dict[str, ServiceRequest]:
    light = submit(places, "street_light", "north", days_ago=1, description="Dark corner")
    pothole = submit(places, "pothole", "west", days_ago=10)
    sewer = submit(places, "sewer_cave_in", "west", days_ago=3)
    sandbox = submit(places, "street_light", "north", days_ago=1, is_test=True)
    actions.close(request=pothole, status=Status.CLOSED_FIXED, actor=Actor(label="CDOT"))
    water = Actor.staff(staff.water)
    actions.change_status(request=sewer, status=Status.IN_PROGRESS, actor=water)
    actions.assign(request=sewer, actor=water, assignee=staff.water)
    return {"light": light, "pothole": pothole, "sewer": sewer, "sandbox": sandbox}


def found(made: dict[str, ServiceRequest], data: dict[str, str], **kw: Any) -> set[str]:
    chosen = Everything(data, **kw)
    assert chosen.problems() == []
    numbers = set(chosen.qs.values_list("tracking_number", flat=True))
    return {name for name, sr in made.items() if sr.tracking_number in numbers}


def test_each_field_narrows_the_requests(
    made: dict[str, ServiceRequest], departments: Departments, places: Places, staff: Staff
) -> None:
    now = timezone.now()
    lat, long = places.ward1_near_west
    water = {"water": departments.water.pk}
    assert found(made, {}) == {"light", "pothole", "sewer"}
    assert found(made, {"number": made["light"].tracking_number}) == {"light"}
    assert found(made, {"service": "pothole,sewer_cave_in"}) == {"pothole", "sewer"}
    assert found(made, {"side": "closed"}) == {"pothole"}
    assert found(made, {"side": "open,closed"}) == {"light", "pothole", "sewer"}
    assert found(made, {"status": "in_progress"}) == {"sewer"}
    assert found(made, {"start": (now - timedelta(days=5)).isoformat()}) == {"light", "sewer"}
    assert found(made, {"changed_after": (now - timedelta(hours=1)).isoformat()}) == {
        "pothole",
        "sewer",
    }
    day = made["sewer"].requested_at.astimezone(ZoneInfo(settings.CITY_TIME_ZONE)).date()
    assert found(made, {"since": day.isoformat(), "until": day.isoformat()}) == {"sewer"}
    assert found(made, {"until": (day - timedelta(days=1)).isoformat()}) == {"pothole"}
    assert found(made, {"period": "7"}) == {"light", "sewer"}
    assert found(made, {"period": "all"}) == {"light", "pothole", "sewer"}
    box = f"{long - 0.01},{lat - 0.01},{long + 0.01},{lat + 0.01}"
    assert found(made, {"bbox": box}) == {"pothole", "sewer"}
    assert found(made, {"lat": str(lat), "long": str(long), "radius": "100"}) == {
        "pothole",
        "sewer",
    }
    assert found(made, {"ward": "2"}) == {"light"}
    assert found(made, {"community_area": "28"}) == {"pothole", "sewer"}
    assert found(made, {"zipcode": "60607"}) == {"pothole", "sewer"}
    assert found(made, {"department": "water"}, departments=water) == {"sewer"}
    assert found(made, {"department": "all"}, departments=water) == {"light", "pothole", "sewer"}
    assert found(made, {"priority": Priority.HIGH}) == {"sewer"}
    assert found(made, {"sla": "overdue"}, now=now + timedelta(days=30)) >= {"sewer"}
    assert found(made, {"sla": "no_target"}) == {"light"}
    assert found(made, {"age": "7"}) == {"pothole"}
    assert found(made, {"assignee": "me"}, user_id=staff.water.pk) == {"sewer"}
    assert found(made, {"assignee": "me"}) == set()  # nobody is "me" without a user
    assert "sewer" not in found(made, {"assignee": "none"})
    assert found(made, {"q": "dark"}) == {"light"}
    assert found(made, {"test": "only"}) == {"sandbox"}
    assert found(made, {"test": "include"}) == {"light", "pothole", "sewer", "sandbox"}


def test_fields_combine_and_an_empty_parameter_is_one_not_sent(
    made: dict[str, ServiceRequest],
) -> None:
    assert found(made, {"service": "pothole,sewer_cave_in", "side": "open", "ward": "1"}) == {
        "sewer"
    }
    assert found(made, {"service": "", "side": "", "start": "", "lat": ""}) == found(made, {})
    assert found(made, {"service": "graffiti"}) == set()


def test_test_requests_stay_out_of_a_list_that_does_not_offer_them(
    made: dict[str, ServiceRequest],
) -> None:
    listed = set(Public({"test": "only"}).qs.values_list("tracking_number", flat=True))
    assert listed == {made["light"].tracking_number, made["sewer"].tracking_number}


def test_every_bad_value_is_reported_at_once_naming_its_parameter(services: Services) -> None:
    chosen = Everything(
        {
            "service": "no_such_thing",
            "side": "pending",
            "start": "yesterday",
            "changed_after": "1066-10-14T09:00:00Z",
            "since": "last tuesday",
            "bbox": "1,2,3",
            "lat": "91",
            "long": "east",
            "radius": "50000",
            "priority": "whenever",
        }
    )
    problems = {(p.code, p.field) for p in chosen.problems()}
    assert problems == {
        ("service_code.unknown", "service"),
        ("status.invalid", "side"),
        ("datetime.invalid", "start"),
        ("datetime.out_of_range", "changed_after"),
        ("date.invalid", "since"),
        ("bbox.invalid", "bbox"),
        ("number.invalid", "lat"),
        ("number.invalid", "long"),
        ("number.invalid", "radius"),
        ("priority.invalid_choice", "priority"),
    }
    messages = {p.field: p.message for p in chosen.problems()}
    assert messages["start"].startswith("start must be a W3C datetime with an offset")
    assert messages["radius"] == "radius must be a number from 1 to 10000.0."
    with pytest.raises(filters.InvalidInput):
        chosen.requests()
    half = Everything({"lat": "41.88"}).problems()
    assert [(p.code, p.field) for p in half] == [("location.incomplete", "lat")]


def test_a_list_may_read_a_bad_value_as_its_default(made: dict[str, ServiceRequest]) -> None:
    chosen = Public({"side": "pending"})
    assert chosen.problems() == []
    listed = set(chosen.qs.values_list("tracking_number", flat=True))
    assert listed == {made["light"].tracking_number, made["sewer"].tracking_number}


def test_the_sql_is_the_one_the_indexes_were_tuned_for(services: Services) -> None:
    """Statuses written into the SQL (SQLite's partial indexes need it), services by id from
    the catalogue (no join)."""
    sql, params = Everything({"side": "open", "service": "pothole"}).qs.query.sql_with_params()
    assert "IN ('open', 'acknowledged', 'in_progress', 'scheduled')" in sql
    assert "JOIN" not in sql
    assert "open" not in [str(p) for p in params]
    assert list(params).count(services.pothole.pk) == 1


def test_relative_filters_are_relative_to_the_moment_given(
    made: dict[str, ServiceRequest],
) -> None:
    then = timezone.now() - timedelta(days=30)
    assert found(made, {"age": "7"}, now=then) == set()
