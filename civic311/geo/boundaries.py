"""Boundary import: any city's wards, community areas, ZIP codes and city limits from GeoJSON.

Every source goes through `import_areas`, so a city's own files (via the `import_boundaries`
command) and the demo city's built-in shapes are cleaned and stored the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.db import transaction
from django.utils import timezone
from shapely.errors import GEOSException
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from civic311.choices import AreaKind
from civic311.geo.models import Area

# ~0.1 m. Far finer than any boundary is surveyed, and snapping to a shared grid makes the
# edges that neighbouring areas share coincide exactly, which keeps unions free of slivers.
GRID_SIZE = 1e-6
# ~1 m. Source files often carry a vertex every few centimetres; dropping those shrinks the
# stored GeoJSON several times over (the locator parses all of it) without moving a border
# by more than a house's doorstep.
SIMPLIFY_TOLERANCE = 1e-5

_POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
_MAX_CODE = Area._meta.get_field("code").max_length or 32
_MAX_NAME = Area._meta.get_field("name").max_length or 200
_MAX_SOURCE = Area._meta.get_field("source").max_length or 200


@dataclass(frozen=True)
class AreaFeature:
    code: str
    name: str
    geometry: BaseGeometry
    approximate: bool = False
    source: str = ""


@dataclass(frozen=True)
class ImportReport:
    kind: str
    created: int
    updated: int
    unchanged: int
    deleted: int
    # Features whose geometry was invalid (e.g. self-intersecting) and was repaired.
    repaired: int
    # Features folded into an earlier feature with the same code (e.g. a ZIP in two pieces).
    merged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class _Prepared:
    name: str
    geometry: BaseGeometry
    approximate: bool
    source: str


def clean_geometry(geometry: BaseGeometry) -> tuple[BaseGeometry, bool]:
    """The geometry as it will be stored, and whether it had to be repaired.

    Raises ValueError for anything that is not (or does not repair to) an area.
    """
    if geometry.geom_type not in _POLYGONAL:
        raise ValueError(f"is a {geometry.geom_type}; only Polygon and MultiPolygon are accepted")
    if geometry.is_empty:
        raise ValueError("has an empty geometry")
    repaired = not geometry.is_valid
    if repaired:
        geometry = _polygonal_part(shapely.make_valid(geometry))
    geometry = geometry.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
    geometry = shapely.set_precision(geometry, GRID_SIZE)
    if not geometry.is_valid:
        geometry = _polygonal_part(shapely.make_valid(geometry))
    if geometry.is_empty or geometry.geom_type not in _POLYGONAL:
        raise ValueError("has no area left after cleaning (is it smaller than a metre?)")
    return geometry, repaired


def _polygonal_part(geometry: BaseGeometry) -> BaseGeometry:
    # make_valid may return a GeometryCollection holding the stray lines or points of a
    # collapsed ring next to the polygons; only the polygons describe the area.
    if geometry.geom_type in _POLYGONAL:
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in _POLYGONAL]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts)


def geometry_to_text(geometry: BaseGeometry) -> str:
    return json.dumps(mapping(geometry), separators=(",", ":"))


def _write_areas(
    kind: str, prepared: dict[str, _Prepared], texts: dict[str, str], *, replace: bool
) -> tuple[int, int, int]:
    """Creates, updates (and with `replace` deletes) the areas of one kind in one transaction;
    returns how many were created, updated and deleted."""
    with transaction.atomic():
        existing = {area.code: area for area in Area.objects.filter(kind=kind)}
        now = timezone.now()
        to_create: list[Area] = []
        to_update: list[Area] = []
        for code, item in prepared.items():
            values = (item.name, texts[code], item.approximate, item.source)
            area = existing.get(code)
            if area is None:
                to_create.append(
                    Area(
                        kind=kind,
                        code=code,
                        name=item.name,
                        geometry=texts[code],
                        approximate=item.approximate,
                        source=item.source,
                    )
                )
            elif (area.name, area.geometry, area.approximate, area.source) != values:
                area.name, area.geometry, area.approximate, area.source = values
                # bulk_update skips auto_now, and the locator notices changes by updated_at.
                area.updated_at = now
                to_update.append(area)
        Area.objects.bulk_create(to_create)
        Area.objects.bulk_update(
            to_update, ["name", "geometry", "approximate", "source", "updated_at"]
        )
        deleted = 0
        if replace:
            stale = [area.pk for code, area in existing.items() if code not in prepared]
            deleted, _ = Area.objects.filter(pk__in=stale).delete()
    return len(to_create), len(to_update), deleted


def import_areas(features: Iterable[AreaFeature], *, kind: str, replace: bool) -> ImportReport:
    """Create or update the areas of one kind, matched by code.

    With `replace`, areas of this kind that are not among the features are deleted. Everything
    is checked before anything is written, and the writes happen in one transaction: a bad
    feature leaves the stored areas as they were.
    """
    if kind not in AreaKind.values:
        raise ValueError(
            f"unknown area kind {kind!r}; expected one of {', '.join(AreaKind.values)}"
        )
    prepared, repaired, merged = _prepare(features)
    if not prepared:
        # An empty file with replace=True would silently delete every area of the kind.
        raise ValueError("there are no areas to import")
    texts = {code: geometry_to_text(p.geometry) for code, p in prepared.items()}

    # Geometry work is done above, outside the transaction: SQLite has one writer, so the
    # write transaction stays as short as the writes themselves.
    created, updated, deleted = _write_areas(kind, prepared, texts, replace=replace)
    return ImportReport(
        kind=kind,
        created=created,
        updated=updated,
        unchanged=len(prepared) - created - updated,
        deleted=deleted,
        repaired=repaired,
        merged=merged,
    )


def _prepare(features: Iterable[AreaFeature]) -> tuple[dict[str, _Prepared], int, int]:
    prepared: dict[str, _Prepared] = {}
    repaired = merged = 0
    for index, feature in enumerate(features):
        code = feature.code.strip()
        label = f"feature {index} (code {code!r})"
        if not code:
            raise ValueError(f"feature {index} has an empty code")
        if len(code) > _MAX_CODE:
            raise ValueError(f"{label}: the code is longer than {_MAX_CODE} characters")
        name = feature.name.strip() or code
        if len(name) > _MAX_NAME:
            raise ValueError(f"{label}: the name is longer than {_MAX_NAME} characters")
        if len(feature.source) > _MAX_SOURCE:
            raise ValueError(f"{label}: the source is longer than {_MAX_SOURCE} characters")
        try:
            geometry, was_repaired = clean_geometry(feature.geometry)
        except ValueError as exc:
            raise ValueError(f"{label} {exc}") from exc
        repaired += was_repaired
        earlier = prepared.get(code)
        if earlier is None:
            prepared[code] = _Prepared(name, geometry, feature.approximate, feature.source)
        else:
            # Boundary files often split one area into several features (a ZIP code on both
            # sides of a river); the area is all of them together.
            merged += 1
            earlier.geometry = shapely.union_all([earlier.geometry, geometry], grid_size=GRID_SIZE)
            earlier.approximate = earlier.approximate or feature.approximate
    return prepared, repaired, merged


def read_geojson_features(
    path: str | Path,
    *,
    code_property: str,
    name_property: str | None = None,
    approximate: bool = False,
    source: str = "",
) -> list[AreaFeature]:
    """The areas of a GeoJSON FeatureCollection (WGS84 longitude/latitude, as GeoJSON requires).

    Raises ValueError naming the offending feature for a missing property or a geometry that
    is not a Polygon or MultiPolygon. Without `name_property`, an area is named by its code.
    """
    try:
        # utf-8-sig: files exported from spreadsheets and GIS tools on Windows start with a BOM.
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8 text (GeoJSON must be UTF-8)") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError(f"{path} is not a GeoJSON FeatureCollection")
    raw_features = data.get("features")
    if not isinstance(raw_features, list):
        raise ValueError(f"{path} has no list of features")

    features = []
    for index, raw in enumerate(raw_features):
        if not isinstance(raw, dict):
            raise ValueError(f"feature {index} is not a GeoJSON object")
        properties = raw.get("properties")
        if not isinstance(properties, dict):
            properties = {}
        code = _property_text(properties, code_property, index)
        name = _property_text(properties, name_property, index) if name_property else code
        features.append(
            AreaFeature(
                code=code,
                name=name,
                geometry=_read_geometry(raw.get("geometry"), index, code),
                approximate=approximate,
                source=source,
            )
        )
    return features


def _property_text(properties: Mapping[str, object], name: str, index: int) -> str:
    value = properties.get(name)
    # Codes often arrive as numbers (ward 44, or 44.0 from a spreadsheet export).
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None or isinstance(value, dict | list) else str(value).strip()
    if not text:
        available = ", ".join(sorted(properties)[:15]) or "none"
        raise ValueError(
            f"feature {index} has no value for the property {name!r} "
            f"(its properties are: {available})"
        )
    return text


def _read_geometry(raw: object, index: int, code: str) -> BaseGeometry:
    label = f"feature {index} (code {code!r})"
    if not isinstance(raw, dict):
        raise ValueError(f"{label} has no geometry")
    geom_type = raw.get("type")
    if geom_type not in _POLYGONAL:
        raise ValueError(
            f"{label} is a {geom_type}; only Polygon and MultiPolygon boundaries can be imported"
        )
    try:
        geometry: BaseGeometry = shape(raw)
    except (GEOSException, ValueError, TypeError, IndexError, KeyError) as exc:
        raise ValueError(f"{label} has unreadable coordinates: {exc}") from exc
    return geometry
