"""Importing a city's own boundaries from GeoJSON (manage.py import_boundaries)."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import Polygon, shape

from civic311.choices import AreaKind
from civic311.geo import locator
from civic311.geo.boundaries import AreaFeature, import_areas
from civic311.geo.models import Area

pytestmark = pytest.mark.django_db

WEST, MID, EAST = -87.70, -87.65, -87.60
SOUTH, NORTH = 41.85, 41.92


def ring(west: float, south: float, east: float, north: float) -> list[list[float]]:
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def feature(geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def polygon(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring(west, south, east, north)]}


WARD_1 = feature(polygon(WEST, SOUTH, MID, NORTH), ward="1", name="Ward One")
WARD_2 = feature(polygon(MID, SOUTH, EAST, NORTH), ward="2", name="Ward Two")


WriteGeoJSON = Callable[..., Path]


@pytest.fixture
def write_geojson(tmp_path: Path) -> WriteGeoJSON:
    def write(*features: dict[str, Any], name: str = "wards.geojson") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
        return path

    return write


def import_boundaries(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_boundaries", str(path), "--code-property", "ward", *args, stdout=out)
    return out.getvalue()


def wards() -> dict[str, str]:
    return dict(Area.objects.filter(kind=AreaKind.WARD).values_list("code", "name"))


def test_it_imports_wards_from_a_geojson_file(write_geojson: WriteGeoJSON) -> None:
    path = write_geojson(WARD_1, WARD_2)

    output = import_boundaries(path, "--kind", "ward", "--name-property", "name")

    assert wards() == {"1": "Ward One", "2": "Ward Two"}
    assert "2 created, 0 updated, 0 unchanged, 0 deleted" in output
    area = Area.objects.get(kind=AreaKind.WARD, code="1")
    assert area.source == "wards.geojson"
    assert area.approximate is False
    assert shape(json.loads(area.geometry)).equals(Polygon(ring(WEST, SOUTH, MID, NORTH)))


def test_after_an_import_the_locator_finds_the_area_of_a_point(write_geojson: WriteGeoJSON) -> None:
    import_boundaries(write_geojson(WARD_1, WARD_2), "--kind", "ward")

    assert locator.locate(41.88, -87.68).ward == "1"
    assert locator.locate(41.88, -87.62).ward == "2"
    assert locator.locate(41.70, -87.90).inside_city is False


def test_without_a_name_property_an_area_is_named_by_its_code(write_geojson: WriteGeoJSON) -> None:
    import_boundaries(write_geojson(WARD_1), "--kind", "ward")

    assert wards() == {"1": "1"}


def test_it_records_the_source_and_whether_the_shapes_are_approximate(
    write_geojson: WriteGeoJSON,
) -> None:
    path = write_geojson(WARD_1)

    import_boundaries(path, "--kind", "ward", "--approximate", "--source", "tract crosswalk")

    area = Area.objects.get(kind=AreaKind.WARD, code="1")
    assert (area.approximate, area.source) == (True, "tract crosswalk")


def test_importing_again_updates_what_changed_and_leaves_the_rest(
    write_geojson: WriteGeoJSON,
) -> None:
    import_boundaries(write_geojson(WARD_1, WARD_2), "--kind", "ward", "--name-property", "name")
    renamed = feature(WARD_2["geometry"], ward="2", name="Second Ward")

    output = import_boundaries(
        write_geojson(WARD_1, renamed), "--kind", "ward", "--name-property", "name"
    )

    assert "0 created, 1 updated, 1 unchanged, 0 deleted" in output
    assert wards() == {"1": "Ward One", "2": "Second Ward"}


def test_replace_deletes_areas_of_that_kind_missing_from_the_file(
    write_geojson: WriteGeoJSON,
) -> None:
    import_boundaries(write_geojson(WARD_1, WARD_2), "--kind", "ward")
    import_boundaries(write_geojson(WARD_1, name="zips.geojson"), "--kind", "zip")

    output = import_boundaries(write_geojson(WARD_1), "--kind", "ward", "--replace")

    assert "1 deleted" in output
    assert set(wards()) == {"1"}
    # Other kinds are not touched by a ward import.
    assert Area.objects.filter(kind=AreaKind.ZIP).count() == 1


def test_without_replace_areas_missing_from_the_file_are_kept(write_geojson: WriteGeoJSON) -> None:
    import_boundaries(write_geojson(WARD_1, WARD_2), "--kind", "ward")

    import_boundaries(write_geojson(WARD_1), "--kind", "ward")

    assert set(wards()) == {"1", "2"}


def test_it_repairs_a_self_intersecting_polygon(write_geojson: WriteGeoJSON) -> None:
    # A bow tie: the ring crosses itself in the middle of the box.
    bow_tie = {
        "type": "Polygon",
        "coordinates": [
            [[WEST, SOUTH], [EAST, NORTH], [EAST, SOUTH], [WEST, NORTH], [WEST, SOUTH]]
        ],
    }

    output = import_boundaries(write_geojson(feature(bow_tie, ward="9")), "--kind", "ward")

    assert "1 invalid shapes were repaired" in output
    stored = shape(json.loads(Area.objects.get(code="9").geometry))
    assert stored.is_valid
    assert stored.geom_type == "MultiPolygon"
    assert stored.area == pytest.approx(Polygon(ring(WEST, SOUTH, EAST, NORTH)).area / 2)
    # Points in the two lobes are in the ward; above and below the crossing they are not.
    assert locator.locate(41.885, -87.69).ward == "9"
    assert locator.locate(41.885, -87.61).ward == "9"
    assert locator.locate(41.915, -87.65).ward == ""


def test_it_rejects_a_point_feature_and_stores_nothing(write_geojson: WriteGeoJSON) -> None:
    point = feature({"type": "Point", "coordinates": [-87.65, 41.88]}, ward="3")

    with pytest.raises(CommandError) as excinfo:
        import_boundaries(write_geojson(WARD_1, point), "--kind", "ward")

    message = str(excinfo.value)
    assert "feature 1" in message
    assert "Point" in message
    assert "only Polygon and MultiPolygon" in message
    assert "Nothing was imported" in message
    assert not Area.objects.exists()


def test_it_rejects_a_feature_without_the_code_property(write_geojson: WriteGeoJSON) -> None:
    unnamed = feature(polygon(MID, SOUTH, EAST, NORTH), WARD_NO="2")

    with pytest.raises(CommandError, match=r"feature 1 has no value for the property 'ward'") as e:
        import_boundaries(write_geojson(WARD_1, unnamed), "--kind", "ward")

    # The message lists what the feature does have, so the user can pick the right property.
    assert "WARD_NO" in str(e.value)
    assert not Area.objects.exists()


def test_it_rejects_a_file_that_is_not_a_feature_collection(tmp_path: Path) -> None:
    path = tmp_path / "ward.geojson"
    path.write_text(json.dumps(polygon(WEST, SOUTH, MID, NORTH)))

    with pytest.raises(CommandError, match="not a GeoJSON FeatureCollection"):
        import_boundaries(path, "--kind", "ward")


def test_it_rejects_a_file_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        import_boundaries(tmp_path / "missing.geojson", "--kind", "ward")


def test_it_rejects_an_unknown_kind(write_geojson: WriteGeoJSON) -> None:
    with pytest.raises(CommandError, match="invalid choice: 'county'"):
        import_boundaries(write_geojson(WARD_1), "--kind", "county")


def test_numeric_codes_are_stored_as_text(write_geojson: WriteGeoJSON) -> None:
    # Spreadsheet exports turn ward 44 into 44.0.
    ward_44 = feature(polygon(WEST, SOUTH, MID, NORTH), ward=44.0)
    ward_46 = feature(polygon(MID, SOUTH, EAST, NORTH), ward=46)

    import_boundaries(write_geojson(ward_44, ward_46), "--kind", "ward")

    assert set(wards()) == {"44", "46"}


def test_features_sharing_a_code_become_one_area(write_geojson: WriteGeoJSON) -> None:
    west_part = feature(polygon(WEST, SOUTH, -87.68, NORTH), ward="5")
    east_part = feature(polygon(-87.62, SOUTH, EAST, NORTH), ward="5")

    output = import_boundaries(write_geojson(west_part, east_part), "--kind", "ward")

    assert "1 features were merged" in output
    assert set(wards()) == {"5"}
    assert locator.locate(41.88, -87.69).ward == "5"
    assert locator.locate(41.88, -87.61).ward == "5"
    assert locator.locate(41.88, -87.65).ward == ""


def test_stored_coordinates_are_rounded_and_needless_vertices_dropped(
    write_geojson: WriteGeoJSON,
) -> None:
    # A long edge drawn with a vertex every ~10 cm, with sub-millimetre noise in the digits.
    south_edge = [[WEST + i * 1e-6 + 3e-10, SOUTH + 1e-11] for i in range(50_000)]
    dense = {
        "type": "Polygon",
        "coordinates": [[*south_edge, [EAST, SOUTH], [EAST, NORTH], [WEST, NORTH], south_edge[0]]],
    }

    import_boundaries(write_geojson(feature(dense, ward="7")), "--kind", "ward")

    text = Area.objects.get(code="7").geometry
    coordinates = json.loads(text)["coordinates"][0]
    assert len(coordinates) < 10
    assert all(len(repr(value).split(".")[-1]) <= 6 for point in coordinates for value in point)
    assert " " not in text


def test_import_areas_refuses_an_empty_list_rather_than_deleting_everything() -> None:
    Area.objects.create(kind=AreaKind.WARD, code="1", name="Ward 1", geometry="{}")

    with pytest.raises(ValueError, match="no areas to import"):
        import_areas([], kind=AreaKind.WARD, replace=True)

    assert Area.objects.filter(kind=AreaKind.WARD).count() == 1


def test_import_areas_reports_what_it_did() -> None:
    features = [
        AreaFeature(code="1", name="Ward 1", geometry=Polygon(ring(WEST, SOUTH, MID, NORTH))),
        AreaFeature(code="2", name="Ward 2", geometry=Polygon(ring(MID, SOUTH, EAST, NORTH))),
    ]
    import_areas(features, kind=AreaKind.WARD, replace=False)

    report = import_areas(features[:1], kind=AreaKind.WARD, replace=True)

    assert (report.created, report.updated, report.unchanged, report.deleted) == (0, 0, 1, 1)
