"""Demo console users for `make run`: one per role, all with one documented password.

Only the demo city loader creates them (never a migration), and only where they do not exist
yet: a real deployment's users come from its administrators (docs/staff.md).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from civic311.choices import Role
from civic311.departments.models import Department, Membership

DEMO_PASSWORD = "civic311-demo"  # noqa: S105 (the demo's documented password, README.md)

# username, first name, role, department code, ward
DEMO_STAFF = [
    ("operator", "Olga", Role.OPERATOR, "", ""),
    ("streets", "Sam", Role.DEPARTMENT_STAFF, "streets", ""),
    ("cdot", "Tina", Role.DEPARTMENT_STAFF, "cdot", ""),
    ("cdot_supervisor", "Carla", Role.SUPERVISOR, "cdot", ""),
    ("water", "Walt", Role.DEPARTMENT_STAFF, "water", ""),
    ("ward42", "Wendell", Role.WARD_OFFICE, "", "42"),
    ("admin", "Ada", Role.ADMINISTRATOR, "", ""),
]


@transaction.atomic
def create_demo_staff(say: Callable[[str], None]) -> None:
    users = get_user_model()
    existing = set(
        users.objects.filter(username__in=[u for u, *_ in DEMO_STAFF]).values_list(
            "username", flat=True
        )
    )
    missing = [row for row in DEMO_STAFF if row[0] not in existing]
    if not missing:
        say("demo staff: already there")
        return
    departments = {d.code: d for d in Department.objects.all()}
    password = make_password(DEMO_PASSWORD)
    for username, first_name, role, department, ward in missing:
        user = users.objects.create(
            username=username,
            first_name=first_name,
            email=f"{username}@civic311.localhost",
            password=password,
            is_staff=True,
            is_superuser=role == Role.ADMINISTRATOR,
        )
        Membership.objects.create(
            user=user, role=role, department=departments.get(department), ward=ward
        )
    say(f"demo staff: {', '.join(row[0] for row in missing)} (password {DEMO_PASSWORD})")
