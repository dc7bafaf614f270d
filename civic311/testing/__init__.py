"""Test fixtures: a small city with named personas and places (a pytest plugin).

The city is a 10 by 7 km box cut into two wards (west "1", east "2"), two community areas
(south "28" Near West Side, north "8" Near North Side) and two ZIP codes. Departments and
services mirror the demo city, with fewer of them.

Site: may import any layer (it is the tests' support: a real SMTP server in mail.py, images in
images.py, the OpenAPI checker in openapi.py); nothing in production imports it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from civic311.apikeys.actions import IssuedKey, issue_key
from civic311.catalog.models import AttributeValue, Jurisdiction, Service, ServiceAttribute
from civic311.choices import AreaKind, Datatype, DuplicatePolicy, KeyKind, Priority
from civic311.departments.models import Department
from civic311.geo.models import Area

WEST, EAST, SOUTH, NORTH = -87.70, -87.60, 41.85, 41.92
MID_LONG, MID_LAT = -87.65, 41.885


def box(west: float, south: float, east: float, north: float) -> str:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@dataclass(frozen=True)
class Places:
    """Points a test can name instead of typing coordinates."""

    ward1_near_west: tuple[float, float] = (41.87, -87.68)  # ward 1, community area 28
    ward2_near_north: tuple[float, float] = (41.90, -87.62)  # ward 2, community area 8
    outside_city: tuple[float, float] = (41.70, -87.90)


@pytest.fixture
def places() -> Places:
    return Places()


@pytest.fixture
def city(db: None) -> Jurisdiction:
    """Boundaries of the test city."""
    areas = [
        (AreaKind.CITY, "city", "Test City", box(WEST, SOUTH, EAST, NORTH)),
        (AreaKind.WARD, "1", "Ward 1", box(WEST, SOUTH, MID_LONG, NORTH)),
        (AreaKind.WARD, "2", "Ward 2", box(MID_LONG, SOUTH, EAST, NORTH)),
        (AreaKind.COMMUNITY_AREA, "28", "Near West Side", box(WEST, SOUTH, EAST, MID_LAT)),
        (AreaKind.COMMUNITY_AREA, "8", "Near North Side", box(WEST, MID_LAT, EAST, NORTH)),
        (AreaKind.ZIP, "60607", "60607", box(WEST, SOUTH, EAST, MID_LAT)),
        (AreaKind.ZIP, "60610", "60610", box(WEST, MID_LAT, EAST, NORTH)),
    ]
    Area.objects.bulk_create(
        Area(kind=kind, code=code, name=name, geometry=geometry)
        for kind, code, name, geometry in areas
    )
    return Jurisdiction.objects.create(jurisdiction_id="testcity.gov", name="Test City")


@dataclass
class Departments:
    streets: Department
    transportation: Department
    water: Department


@pytest.fixture
def departments(db: None) -> Departments:
    return Departments(
        streets=Department.objects.create(code="streets", name="Streets and Sanitation"),
        transportation=Department.objects.create(code="cdot", name="Transportation"),
        water=Department.objects.create(code="water", name="Water Management"),
    )


@dataclass
class Services:
    pothole: Service
    graffiti: Service
    sewer: Service
    street_light: Service


def add_question(
    service: Service,
    code: str,
    datatype: str,
    *,
    required: bool = False,
    order: int = 1,
    values: tuple[tuple[str, str], ...] = (),
) -> ServiceAttribute:
    attribute = ServiceAttribute.objects.create(
        service=service,
        code=code,
        datatype=datatype,
        required=required,
        order=order,
        description=f"Question {code}?",
    )
    AttributeValue.objects.bulk_create(
        AttributeValue(attribute=attribute, key=key, name=name, order=i)
        for i, (key, name) in enumerate(values, start=1)
    )
    return attribute


@pytest.fixture
def services(city: Jurisdiction, departments: Departments) -> Services:
    pothole = Service.objects.create(
        jurisdiction=city,
        service_code="pothole",
        service_name="Pothole in Street",
        group="Streets",
        department=departments.transportation,
        sla_hours=7 * 24,
        duplicate_policy=DuplicatePolicy.LINK,
        duplicate_radius_m=50,
    )
    add_question(
        pothole,
        "location",
        Datatype.SINGLEVALUELIST,
        required=True,
        values=(("street", "In the street"), ("crosswalk", "In a crosswalk"), ("alley", "Alley")),
    )
    add_question(pothole, "depth_cm", Datatype.NUMBER, order=2)
    graffiti = Service.objects.create(
        jurisdiction=city,
        service_code="graffiti",
        service_name="Graffiti Removal",
        group="Sanitation",
        department=departments.streets,
        sla_hours=3 * 24,
        duplicate_policy=DuplicatePolicy.SUGGEST,
        duplicate_radius_m=30,
    )
    add_question(
        graffiti,
        "surface",
        Datatype.MULTIVALUELIST,
        required=True,
        values=(("brick", "Brick"), ("metal", "Metal"), ("glass", "Glass")),
    )
    add_question(
        graffiti,
        "offensive",
        Datatype.SINGLEVALUELIST,
        order=2,
        values=(("yes", "Yes"), ("no", "No")),
    )
    add_question(graffiti, "seen_at", Datatype.DATETIME, order=3)
    add_question(graffiti, "where_on_building", Datatype.STRING, order=4)
    add_question(graffiti, "details", Datatype.TEXT, order=5)
    sewer = Service.objects.create(
        jurisdiction=city,
        service_code="sewer_cave_in",
        service_name="Sewer Cave-In Inspection",
        group="Water",
        department=departments.water,
        sla_hours=2 * 24,
        default_priority=Priority.HIGH,
    )
    street_light = Service.objects.create(
        jurisdiction=city,
        service_code="street_light",
        service_name="Street Light Out",
        group="Streets",
        department=departments.transportation,
    )
    return Services(pothole=pothole, graffiti=graffiti, sewer=sewer, street_light=street_light)


# --- App developers' API keys ----------------------------------------------------------------


@pytest.fixture
def app_key(db: None) -> IssuedKey:
    """A production key of an app developer's ("Chicago Works")."""
    return issue_key(
        app_name="Chicago Works",
        contact_email="dev@example.org",
        kind=KeyKind.PRODUCTION,
        approved=True,
    )


@pytest.fixture
def other_key(db: None) -> IssuedKey:
    """Another app's production key ("Block Club")."""
    return issue_key(
        app_name="Block Club",
        contact_email="ops@example.org",
        kind=KeyKind.PRODUCTION,
        approved=True,
    )


@pytest.fixture
def test_key(db: None) -> IssuedKey:
    """A sandbox key: its requests are test requests."""
    return issue_key(app_name="Sandbox App", contact_email="dev@example.org", kind=KeyKind.TEST)


@pytest.fixture
def back_office_key(db: None) -> IssuedKey:
    """A back office's key, allowed to push servicerequestupdates ("Works Manager")."""
    return issue_key(
        app_name="Works Manager",
        contact_email="ops@example.org",
        kind=KeyKind.PRODUCTION,
        approved=True,
        can_post_updates=True,
    )


# --- A real browser -----------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Tests save what they see here, at a phone's and a desktop's size, for people to look at.
SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}


@pytest.fixture
def browser() -> Iterator[Any]:
    """The system's Chromium driven by Playwright. Skips on a laptop without it; fails in CI."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (CI installs it: see .ci/run)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django refuses database access
    # from a thread with a running loop unless told it is safe (it is: the test is sequential).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# --- Staff personas -----------------------------------------------------------------------------

STAFF_PASSWORD = "correct horse battery staple 311"  # noqa: S105 (test personas only)
_password_hash: list[str] = []


def staff_password_hash() -> str:
    """Hashed once per test run: the real hasher is slow on purpose."""
    if not _password_hash:
        from django.contrib.auth.hashers import make_password

        _password_hash.append(make_password(STAFF_PASSWORD))
    return _password_hash[0]


def make_staff(
    username: str,
    role: str,
    *,
    department: Department | None = None,
    ward: str = "",
    first_name: str = "",
) -> Any:
    from django.contrib.auth import get_user_model

    from civic311.departments.models import Membership

    user = get_user_model().objects.create(
        username=username,
        first_name=first_name or username.split("_")[0].title(),
        email=f"{username}@city.example",
        password=staff_password_hash(),
        is_staff=True,
    )
    Membership.objects.create(user=user, role=role, department=department, ward=ward)
    return user


@dataclass
class Staff:
    """Named people at the city, each with one role (log in with STAFF_PASSWORD)."""

    streets: Any  # staff in Streets and Sanitation
    cdot: Any  # staff in Transportation (potholes)
    cdot_supervisor: Any
    water: Any  # staff in Water Management (sewers)
    water_supervisor: Any
    operator: Any  # the 311 call center
    ward1_office: Any
    ward2_office: Any
    admin: Any


@pytest.fixture
def staff(departments: Departments) -> Staff:
    from civic311.choices import Role

    return Staff(
        streets=make_staff("sam_streets", Role.DEPARTMENT_STAFF, department=departments.streets),
        cdot=make_staff("tina_cdot", Role.DEPARTMENT_STAFF, department=departments.transportation),
        cdot_supervisor=make_staff(
            "carla_cdot_supervisor", Role.SUPERVISOR, department=departments.transportation
        ),
        water=make_staff("walt_water", Role.DEPARTMENT_STAFF, department=departments.water),
        water_supervisor=make_staff(
            "wanda_water_supervisor", Role.SUPERVISOR, department=departments.water
        ),
        operator=make_staff("olga_operator", Role.OPERATOR),
        ward1_office=make_staff("wendell_ward1", Role.WARD_OFFICE, ward="1"),
        ward2_office=make_staff("wilma_ward2", Role.WARD_OFFICE, ward="2"),
        admin=make_staff("ada_admin", Role.ADMINISTRATOR),
    )


# --- Addresses the offline geocoder knows ---------------------------------------------------------


@dataclass(frozen=True)
class Addresses:
    """Address points of the test city, at the named places (an operator types these)."""

    ward1: str = "1200 W Madison St"  # at Places.ward1_near_west
    ward1_next_door: str = "1210 W Madison St"  # 8 m east of it
    ward2: str = "600 N State St"  # at Places.ward2_near_north


@pytest.fixture
def addresses(city: Jurisdiction, places: Places) -> Addresses:
    from civic311.geo.geocoders import import_address_points

    named = Addresses()
    lat1, long1 = places.ward1_near_west
    lat2, long2 = places.ward2_near_north
    import_address_points(
        [
            (named.ward1, lat1, long1, "60607"),
            (named.ward1_next_door, lat1, long1 + 0.0001, "60607"),
            (named.ward2, lat2, long2, "60610"),
        ]
    )
    return named
