"""The demo city's boundaries: Chicago's community areas, ZIP codes, wards and city limits.

Everything is built from the data files of the `chicago` package (2010 census tracts, ZIP code
polygons, and a 2012-era precinct → census tract crosswalk). The package module itself is never
imported: it imports `six` and parses its CSVs at import time, and only the files are needed.

Wards are approximate: the package has no ward polygons, so each census tract is given to the
ward holding most of its precincts and the tracts are merged per ward. Borders follow tract
lines, not the real ward map, so a point near a ward border may land in the neighbouring ward.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from civic311.choices import AreaKind
from civic311.geo.boundaries import GRID_SIZE, AreaFeature, import_areas

WARD_SOURCE = "approximated from 2012 precinct → census tract crosswalk (chicago package)"
_TRACT_SOURCE = "2010 census tracts (chicago package)"
_ZIP_SOURCE = "Chicago ZIP code boundaries (chicago package)"

# Two tracts whose buffered outlines overlap by this much are treated as sharing that border;
# the buffer absorbs the centimetre-scale mismatches between neighbouring tract outlines.
_NEIGHBOUR_BUFFER = 2e-5

# Upper-case names whose title case is not just str.title().
_NAME_SPELLINGS = {"OHARE": "O'Hare"}


def _data_dir() -> Path:
    spec = importlib.util.find_spec("chicago")
    if spec is None or spec.origin is None:
        raise RuntimeError("the `chicago` package (the demo city's boundary data) is not installed")
    return Path(spec.origin).parent / "data"


@dataclass(frozen=True)
class _Tract:
    geoid: str
    community_area: int
    geometry: BaseGeometry


def community_area_name(upper: str) -> str:
    """'MCKINLEY PARK' → 'McKinley Park', 'OHARE' or "O'HARE" → "O'Hare"."""
    upper = upper.strip()
    if upper in _NAME_SPELLINGS:
        return _NAME_SPELLINGS[upper]
    words = []
    for word in upper.title().split():
        if word.startswith("Mc") and len(word) > 2:
            word = "Mc" + word[2:].capitalize()
        words.append(word)
    return " ".join(words)


def _union(geometries: Iterable[BaseGeometry]) -> BaseGeometry:
    # The grid snaps the shared edges of neighbouring tracts together, and buffer(0) drops any
    # zero-width sliver left where they still did not meet.
    merged = shapely.union_all(list(geometries), grid_size=GRID_SIZE)
    return merged.buffer(0)


def _read_tracts(data: Path) -> list[_Tract]:
    collection = json.loads((data / "census_tracts_as_of_2010.geojson").read_text("utf-8"))
    tracts = [
        _Tract(
            geoid=feature["properties"]["geoid10"],
            community_area=int(feature["properties"]["commarea"]),
            geometry=shape(feature["geometry"]),
        )
        for feature in collection["features"]
    ]
    return sorted(tracts, key=lambda tract: tract.geoid)


def _community_area_names(data: Path) -> dict[int, str]:
    with (data / "CommAreas.csv").open(encoding="utf-8", newline="") as f:
        return {
            int(row["AREA_NUMBE"]): community_area_name(row["COMMUNITY"])
            for row in csv.DictReader(f)
        }


def _community_areas(tracts: list[_Tract], names: dict[int, str]) -> list[AreaFeature]:
    groups: dict[int, list[BaseGeometry]] = defaultdict(list)
    for tract in tracts:
        groups[tract.community_area].append(tract.geometry)
    return [
        AreaFeature(
            code=str(number),
            name=names.get(number, f"Community area {number}"),
            geometry=_union(groups[number]),
            source=f"union of {_TRACT_SOURCE}",
        )
        for number in sorted(groups)
    ]


def _zip_codes(data: Path) -> list[AreaFeature]:
    collection = json.loads((data / "chicago_zip_codes.geojson").read_text("utf-8"))
    groups: dict[str, list[BaseGeometry]] = defaultdict(list)
    # Some ZIP codes come in more than one feature (60643, 60707); the area is all of them.
    for feature in collection["features"]:
        groups[str(feature["properties"]["zip"])].append(shape(feature["geometry"]))
    return [
        AreaFeature(code=code, name=code, geometry=_union(groups[code]), source=_ZIP_SOURCE)
        for code in sorted(groups)
    ]


def _precinct_votes(data: Path) -> dict[str, Counter[int]]:
    """For each tract, how many of its precincts are in each ward."""
    votes: dict[str, Counter[int]] = defaultdict(Counter)
    path = data / "chicago_precinct_census_tract_crosswalk.csv"
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            votes[row["tract_geoid"]][int(row["precinct_ward"])] += 1
    return votes


def _shared_borders(tracts: list[_Tract]) -> list[dict[int, float]]:
    """For each tract, its neighbours (by index) and the length of border shared with each."""
    geometries = [tract.geometry for tract in tracts]
    tree = STRtree(geometries)
    buffered = shapely.buffer(geometries, _NEIGHBOUR_BUFFER)
    neighbours: list[dict[int, float]] = []
    for index, around in enumerate(buffered):
        lengths: dict[int, float] = {}
        for other in tree.query(around, predicate="intersects"):
            other = int(other)
            if other != index:
                lengths[other] = geometries[other].boundary.intersection(around).length
        neighbours.append(lengths)
    return neighbours


def _ward_of_tracts(tracts: list[_Tract], votes: dict[str, Counter[int]]) -> list[int]:
    neighbours = _shared_borders(tracts)
    wards: list[int | None] = [None] * len(tracts)

    for index, tract in enumerate(tracts):
        counts = votes.get(tract.geoid)
        if not counts:
            continue
        most = max(counts.values())
        tied = sorted(ward for ward, n in counts.items() if n == most)
        if len(tied) > 1:
            # About one tract in thirteen splits its precincts evenly between two wards. The
            # ward that also holds the surrounding tracts is the likelier owner of the middle.
            around: Counter[int] = Counter()
            for other in neighbours[index]:
                around.update(votes.get(tracts[other].geoid, Counter()))
            tied.sort(key=lambda ward: (-around[ward], ward))
        wards[index] = tied[0]

    # Tracts without a precinct (parks, the airport, rail yards, the lakefront) take the ward of
    # the neighbour they share the longest border with. Some border only other such tracts, so
    # repeat until nothing changes.
    progress = True
    while progress:
        progress = False
        for index in range(len(tracts)):
            if wards[index] is not None:
                continue
            candidates = [
                (length, other)
                for other, length in neighbours[index].items()
                if wards[other] is not None and length > 0
            ]
            if candidates:
                _, best = max(candidates, key=lambda item: (item[0], -item[1]))
                wards[index] = wards[best]
                progress = True

    # Tracts that touch no assigned tract at all (an island) take the nearest one's ward.
    assigned = [i for i, ward in enumerate(wards) if ward is not None]
    for index, ward in enumerate(wards):
        if ward is None:
            distances = shapely.distance(
                tracts[index].geometry, [tracts[i].geometry for i in assigned]
            )
            wards[index] = wards[assigned[int(distances.argmin())]]

    return [ward for ward in wards if ward is not None]


def _wards(tracts: list[_Tract], votes: dict[str, Counter[int]]) -> list[AreaFeature]:
    groups: dict[int, list[BaseGeometry]] = defaultdict(list)
    for tract, ward in zip(tracts, _ward_of_tracts(tracts, votes), strict=True):
        groups[ward].append(tract.geometry)
    return [
        AreaFeature(
            code=str(ward),
            name=f"Ward {ward}",
            geometry=_union(groups[ward]),
            approximate=True,
            source=WARD_SOURCE,
        )
        for ward in sorted(groups)
    ]


def chicago_areas() -> dict[str, list[AreaFeature]]:
    """Chicago's areas by kind (AreaKind values), built fresh from the package data."""
    data = _data_dir()
    tracts = _read_tracts(data)
    city = AreaFeature(
        code="chicago",
        name="City of Chicago",
        geometry=_union(tract.geometry for tract in tracts),
        source=f"union of {_TRACT_SOURCE}",
    )
    return {
        AreaKind.CITY.value: [city],
        AreaKind.COMMUNITY_AREA.value: _community_areas(tracts, _community_area_names(data)),
        AreaKind.WARD.value: _wards(tracts, _precinct_votes(data)),
        AreaKind.ZIP.value: _zip_codes(data),
    }


def load_chicago_boundaries() -> dict[str, int]:
    """Replace the stored city limits, community areas, wards and ZIP codes with Chicago's.

    Returns how many areas of each kind are now stored.
    """
    counts = {}
    for kind, features in chicago_areas().items():
        report = import_areas(features, kind=kind, replace=True)
        counts[kind] = report.total
    return counts
