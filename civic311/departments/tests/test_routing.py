"""A request goes to its service's department unless a rule for its area says otherwise."""

from __future__ import annotations

import pytest

from civic311.choices import AreaKind, Channel, Priority
from civic311.departments.models import RoutingRule
from civic311.service_requests.actions import Actor, submit_request
from civic311.testing import Departments, Places, Services

pytestmark = pytest.mark.django_db


def light_out_at(point: tuple[float, float]):  # type: ignore[no-untyped-def]
    return submit_request(
        service_code="street_light",
        channel=Channel.PHONE,
        actor=Actor(label="operator"),
        lat=point[0],
        long=point[1],
    ).request


def test_without_rules_the_service_department_and_priority_apply(
    services: Services, places: Places
) -> None:
    request = light_out_at(places.ward1_near_west)
    assert (request.department.code, request.priority) == ("cdot", Priority.NORMAL)
    assert request.expected_at is None  # this service has no service-level target


def test_a_ward_rule_beats_a_community_area_rule(
    services: Services, departments: Departments, places: Places
) -> None:
    RoutingRule.objects.create(
        service=services.street_light,
        area_kind=AreaKind.COMMUNITY_AREA,
        area_code="28",
        department=departments.streets,
        priority=Priority.HIGH,
    )
    RoutingRule.objects.create(
        service=services.street_light,
        area_kind=AreaKind.WARD,
        area_code="1",
        department=departments.water,
    )

    in_ward_1 = light_out_at(places.ward1_near_west)
    in_ward_2 = light_out_at(places.ward2_near_north)

    # Ward 1 is in community area 28: the ward's department, the area's priority.
    assert (in_ward_1.department.code, in_ward_1.priority) == ("water", Priority.HIGH)
    assert (in_ward_2.department.code, in_ward_2.priority) == ("cdot", Priority.NORMAL)
