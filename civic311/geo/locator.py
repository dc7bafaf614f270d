"""Point in area: which ward, community area and ZIP a point is in, and whether it is in the
city at all.

Areas are loaded once per process into one shapely STRtree per kind, and reloaded when any area
changes (the newest `updated_at` is checked at most every few seconds), so a boundary import
takes effect without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from django.db.models import Count, Max
from shapely.geometry import Point, shape
from shapely.strtree import STRtree

from civic311.choices import AreaKind
from civic311.geo.models import Area
from civic311.reloading import ReloadingCache


@dataclass(frozen=True)
class Location:
    inside_city: bool
    ward: str = ""
    community_area: str = ""
    zipcode: str = ""


@dataclass
class _Layer:
    tree: STRtree
    codes: list[str]


class Locator(ReloadingCache):
    def __init__(self) -> None:
        super().__init__()
        self._layers: dict[str, _Layer] = {}

    def current_stamp(self) -> tuple[object, int]:
        agg = Area.objects.aggregate(newest=Max("updated_at"), count=Count("id"))
        return agg["newest"], agg["count"]

    def load(self) -> None:
        layers: dict[str, tuple[list[object], list[str]]] = {}
        for kind, code, geometry in Area.objects.values_list("kind", "code", "geometry"):
            geom = shape(_loads(geometry))
            shapely.prepare(geom)
            geoms, codes = layers.setdefault(kind, ([], []))
            geoms.append(geom)
            codes.append(code)
        self._layers = {
            kind: _Layer(tree=STRtree(geoms), codes=codes)
            for kind, (geoms, codes) in layers.items()
        }

    def _code_at(self, kind: str, point: Point) -> str:
        layer = self._layers.get(kind)
        if layer is None:
            return ""
        hits = layer.tree.query(point, predicate="intersects")
        if len(hits) == 0:
            return ""
        return layer.codes[int(min(hits))]

    def locate(self, lat: float, long: float) -> Location:
        self.ensure_loaded()
        point = Point(long, lat)
        ward = self._code_at(AreaKind.WARD, point)
        community_area = self._code_at(AreaKind.COMMUNITY_AREA, point)
        zipcode = self._code_at(AreaKind.ZIP, point)
        if AreaKind.CITY in self._layers:
            inside = bool(self._code_at(AreaKind.CITY, point))
        else:
            # Without city limits, the city is where its wards or community areas are.
            inside = bool(ward or community_area)
        return Location(
            inside_city=inside,
            ward=ward if inside else "",
            community_area=community_area if inside else "",
            zipcode=zipcode,
        )


def _loads(text: str) -> dict[str, object]:
    import json

    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("geometry is not a GeoJSON object")
    return data


locator = Locator()


def locate(lat: float, long: float) -> Location:
    return locator.locate(lat, long)
