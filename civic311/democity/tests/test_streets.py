"""The demo city's address points, computed from Chicago's street grid."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from civic311.democity.streets import (
    ORIGIN_LAT,
    ORIGIN_LONG,
    STREETS_CSV,
    address_points,
    grid_to_latlong,
    read_streets,
)
from civic311.geo.cells import distance_m
from civic311.geo.geocoders import AddressPointGeocoder, import_address_points
from civic311.geo.locator import locate
from civic311.testing import EAST, NORTH, SOUTH, WEST


def _anywhere(lat: float, long: float) -> bool:
    return True


def _in_test_box(lat: float, long: float) -> bool:
    return SOUTH <= lat <= NORTH and WEST <= long <= EAST


def _points(
    inside: Callable[[float, float], bool] = _anywhere,
) -> dict[str, tuple[float, float]]:
    return {
        address: (lat, long) for address, lat, long, _ in address_points(STREETS_CSV, inside=inside)
    }


def test_the_origin_is_state_and_madison() -> None:
    assert grid_to_latlong(0, 0) == (ORIGIN_LAT, ORIGIN_LONG)


def test_a_west_side_address_lands_on_its_corner() -> None:
    points = _points()

    # 1200 W is Racine Ave: 1.5 miles west of State St.
    lat, long = points["1200 W Madison St"]
    assert distance_m(lat, long, 41.88196, -87.65699) < 50
    # 1901 W Madison is the United Center, at about (41.8807, -87.6742).
    lat, long = grid_to_latlong(-1901, 0)
    assert distance_m(lat, long, 41.8807, -87.6742) < 200


def test_each_street_is_numbered_on_both_sides_of_the_origin() -> None:
    points = _points()

    north, south = points["3200 N Halsted St"], points["3200 S Halsted St"]
    assert north[1] == south[1] == pytest.approx(ORIGIN_LONG - 0.019410)
    assert north[0] - ORIGIN_LAT == pytest.approx(ORIGIN_LAT - south[0])
    assert north[0] == pytest.approx(ORIGIN_LAT + 4 * 0.014483)

    east, west = points["1200 E 79th St"], points["1200 W 79th St"]
    assert east[0] == west[0] == pytest.approx(ORIGIN_LAT - 7900 / 800 * 0.014483)
    assert east[1] > ORIGIN_LONG > west[1]


def test_the_zero_address_of_a_street_is_listed_once() -> None:
    points = _points()

    assert "0 W Madison St" in points
    assert "0 E Madison St" not in points
    assert "0 N Halsted St" in points
    assert "0 S Halsted St" not in points


def test_the_whole_grid_is_tens_of_thousands_of_points_made_in_well_under_a_second() -> None:
    started = time.perf_counter()
    points = list(address_points(STREETS_CSV, inside=_anywhere))
    elapsed = time.perf_counter() - started

    assert 10_000 < len(points) < 40_000
    assert len({address for address, *_ in points}) == len(points)
    assert elapsed < 1.0


def test_only_points_inside_the_city_are_kept() -> None:
    points = _points(_in_test_box)

    # The 10 x 8 km test box holds about 16 streets each way at 100 numbers per point.
    assert 500 < len(points) < 3000
    assert all(_in_test_box(lat, long) for lat, long in points.values())
    assert "1200 W Madison St" in points
    assert "1200 E 79th St" not in points


def test_the_city_locator_can_say_what_is_inside(city: object) -> None:
    started = time.perf_counter()
    located = _points(lambda lat, long: locate(lat, long).inside_city)
    elapsed = time.perf_counter() - started

    assert located == _points(_in_test_box)
    assert elapsed < 3.0


def test_the_demo_points_geocode_any_house_number(city: object) -> None:
    loaded = import_address_points(
        address_points(STREETS_CSV, inside=lambda lat, long: locate(lat, long).inside_city)
    )
    geocoder = AddressPointGeocoder()

    result = geocoder.geocode("1234 west madison street")

    assert loaded > 500
    assert result is not None
    assert result.address == "1234 W Madison St"
    assert distance_m(result.lat, result.long, *grid_to_latlong(-1234, 0)) < 1
    at_corner = geocoder.reverse(*grid_to_latlong(-1195, 3))
    assert at_corner is not None
    assert at_corner.address in {"1200 W Madison St", "0 N Racine Ave"}


def test_the_street_file_lists_real_streets_on_the_grid() -> None:
    streets = read_streets(STREETS_CSV)
    by_name = {street.name: street for street in streets}

    assert 60 <= len(streets) <= 100
    assert len(by_name) == len(streets)
    assert (by_name["State St"].axis, by_name["State St"].grid) == ("ns", 0)
    assert (by_name["Madison St"].axis, by_name["Madison St"].grid) == ("ew", 0)
    assert (by_name["Halsted St"].axis, by_name["Halsted St"].grid) == ("ns", -800)
    assert (by_name["North Ave"].axis, by_name["North Ave"].grid) == ("ew", 1600)


def test_a_bad_street_row_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "streets.csv"
    path.write_text("name,axis,grid\nMadison St,ew,0\nHalsted St,sideways,-800\n", encoding="utf-8")

    with pytest.raises(ValueError, match="line 3: axis must be 'ns' or 'ew'"):
        read_streets(path)
