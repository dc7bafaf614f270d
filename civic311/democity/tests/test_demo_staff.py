"""`make run` gives one demo console user per role, with the documented password, once."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from civic311.democity.staff import DEMO_PASSWORD, DEMO_STAFF, create_demo_staff
from civic311.departments.models import Membership
from civic311.service_requests.permissions import role_of
from civic311.testing import Departments

pytestmark = pytest.mark.django_db


def test_every_demo_user_signs_in_with_the_documented_password_and_has_its_role(
    departments: Departments,
) -> None:
    said: list[str] = []
    create_demo_staff(said.append)
    create_demo_staff(said.append)  # `make run` runs it every time

    assert said[1] == "demo staff: already there"
    assert Membership.objects.count() == len(DEMO_STAFF)
    for username, _first, role, department, ward in DEMO_STAFF:
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        found = role_of(user)
        assert found is not None and found.role == role
        assert found.ward == ward
        if department:
            assert user.membership.department.code == department
