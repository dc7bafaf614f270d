"""The demo city's real Chicago boundaries, and real places landing where they should."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django import DjangoDbBlocker

from civic311.choices import AreaKind
from civic311.democity.boundaries import (
    WARD_SOURCE,
    community_area_name,
    load_chicago_boundaries,
)
from civic311.geo import locator
from civic311.geo.models import Area

pytestmark = pytest.mark.django_db

WILLIS_TOWER = (41.8789, -87.6359)
WRIGLEY_FIELD = (41.9484, -87.6553)
MIDWAY_AIRPORT = (41.7868, -87.7522)
LAKE_MICHIGAN = (41.90, -87.55)
EVANSTON = (42.05, -87.68)


@pytest.fixture(scope="module")
def chicago(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, int]]:
    # Building and storing the boundaries takes a couple of seconds: do it once for the module,
    # committed outside the per-test transactions, and remove it when the module is done.
    with django_db_blocker.unblock():
        counts = load_chicago_boundaries()
    yield counts
    with django_db_blocker.unblock():
        Area.objects.all().delete()


def name_of(kind: str, code: str) -> str:
    return Area.objects.get(kind=kind, code=code).name


def test_it_loads_every_kind_of_chicago_area(chicago: dict[str, int]) -> None:
    assert chicago[AreaKind.CITY] == 1
    assert chicago[AreaKind.COMMUNITY_AREA] == 77
    assert chicago[AreaKind.WARD] == 50
    # The file has 61 ZIP features; 60643 and 60707 come in two pieces each.
    assert 59 <= chicago[AreaKind.ZIP] <= 61
    assert Area.objects.count() == sum(chicago.values())


def test_only_the_wards_are_marked_approximate(chicago: dict[str, int]) -> None:
    approximate = Area.objects.filter(approximate=True)

    assert set(approximate.values_list("kind", flat=True)) == {AreaKind.WARD}
    assert approximate.count() == 50
    assert set(approximate.values_list("source", flat=True)) == {WARD_SOURCE}


def test_community_areas_are_named_in_title_case(chicago: dict[str, int]) -> None:
    assert name_of(AreaKind.COMMUNITY_AREA, "32") == "Loop"
    assert name_of(AreaKind.COMMUNITY_AREA, "28") == "Near West Side"
    assert name_of(AreaKind.COMMUNITY_AREA, "59") == "McKinley Park"
    assert name_of(AreaKind.COMMUNITY_AREA, "76") == "O'Hare"
    assert name_of(AreaKind.CITY, "chicago") == "City of Chicago"


@pytest.mark.parametrize(
    ("upper", "title"),
    [
        ("OHARE", "O'Hare"),
        ("O'HARE", "O'Hare"),
        ("MCKINLEY PARK", "McKinley Park"),
        ("GREATER GRAND CROSSING", "Greater Grand Crossing"),
    ],
)
def test_community_area_names_are_title_cased_with_care(upper: str, title: str) -> None:
    assert community_area_name(upper) == title


def test_willis_tower_is_in_the_loop_and_zip_60606(chicago: dict[str, int]) -> None:
    place = locator.locate(*WILLIS_TOWER)

    assert place.inside_city
    assert place.community_area == "32"
    assert place.zipcode == "60606"
    # The tower's tract has two precincts in ward 42 and two in ward 4; the tie goes to the
    # ward holding most precincts in the surrounding Loop tracts, 42, the Loop's 2012 ward.
    assert place.ward == "42"


def test_wrigley_field_is_in_lake_view_zip_60613_ward_44(chicago: dict[str, int]) -> None:
    place = locator.locate(*WRIGLEY_FIELD)

    assert place.inside_city
    assert place.community_area == "6"
    assert place.zipcode == "60613"
    # Wards are approximated from census tracts; the ballpark's tract has one precinct, in the
    # 44th ward, which is also where the real 2012 ward map puts it.
    assert place.ward == "44"


def test_midway_airport_is_in_garfield_ridge(chicago: dict[str, int]) -> None:
    place = locator.locate(*MIDWAY_AIRPORT)

    assert place.inside_city
    assert place.community_area == "56"
    assert place.ward != ""


@pytest.mark.parametrize("point", [LAKE_MICHIGAN, EVANSTON], ids=["lake-michigan", "evanston"])
def test_a_point_beyond_the_city_limits_is_outside_the_city(
    chicago: dict[str, int], point: tuple[float, float]
) -> None:
    place = locator.locate(*point)

    assert not place.inside_city
    assert place.ward == ""
    assert place.community_area == ""


def test_each_of_the_fifty_wards_has_an_area(
    chicago: dict[str, int],
) -> None:
    assert set(Area.objects.filter(kind=AreaKind.WARD).values_list("code", flat=True)) == {
        str(ward) for ward in range(1, 51)
    }


def test_loading_again_leaves_the_same_areas(chicago: dict[str, int]) -> None:
    before = dict(Area.objects.values_list("id", "geometry"))

    assert load_chicago_boundaries() == chicago

    assert dict(Area.objects.values_list("id", "geometry")) == before
