"""H3 cells: how "nearby" becomes an indexed lookup on SQLite and PostgreSQL alike.

Each request stores its resolution-9 cell (~200 m edge) and resolution-7 cell (~1.4 km edge).
"Within R metres of a point" is: the ring of cells that covers the circle, looked up with
`h3_rN IN (...)` on an index, then the exact distance checked on the few rows that come back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import h3

EARTH_RADIUS_M = 6_371_008.8
# Average edge length in metres (h3.average_hexagon_edge_length). A cell's centre-to-vertex
# distance equals its edge length, so k rings cover a circle of radius k * edge * sqrt(3)/2 at
# least; we pad by one ring to cover points near cell borders.
_EDGE_M = {9: 200.786148, 7: 1406.475763}
MAX_RING = 12
# Beyond this a circle needs hundreds of resolution-7 cells; callers must say so to the user.
MAX_RADIUS_M = 10_000.0


def cells_for(lat: float, long: float) -> tuple[str, str]:
    """(h3_r9, h3_r7) for a point."""
    return h3.latlng_to_cell(lat, long, 9), h3.latlng_to_cell(lat, long, 7)


@dataclass(frozen=True)
class Disk:
    field: str  # "h3_r9" or "h3_r7"
    cells: tuple[str, ...]


def disk(lat: float, long: float, radius_m: float) -> Disk:
    """The cells that cover a circle: resolution 9 while that takes at most MAX_RING rings,
    resolution 7 beyond."""
    if not 0 < radius_m <= MAX_RADIUS_M:
        raise ValueError(f"radius must be more than 0 and at most {MAX_RADIUS_M:.0f} metres")
    resolution = 9
    rings = _rings(radius_m, 9)
    if rings > MAX_RING:
        resolution, rings = 7, _rings(radius_m, 7)
    origin = h3.latlng_to_cell(lat, long, resolution)
    return Disk(field=f"h3_r{resolution}", cells=tuple(sorted(h3.grid_disk(origin, rings))))


def _rings(radius_m: float, resolution: int) -> int:
    return math.ceil(radius_m / (_EDGE_M[resolution] * math.sqrt(3) / 2)) + 1


def distance_m(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(long2 - long1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def tight_cover(lat: float, long: float, radius_m: float) -> tuple[str, ...]:
    """The resolution-9 cells that can hold a point within radius_m (at most a cell's inradius,
    ~170 m): the point's own cell and those neighbours whose centre is within radius_m plus a
    cell's circumradius. Usually one to three cells where disk() gives nineteen: for "at this
    address" on a busy block."""
    inradius = _EDGE_M[9] * math.sqrt(3) / 2
    if not 0 < radius_m <= inradius:
        raise ValueError(f"radius must be more than 0 and at most {inradius:.0f} metres")
    origin = h3.latlng_to_cell(lat, long, 9)
    return tuple(
        sorted(
            cell
            for cell in h3.grid_disk(origin, 1)
            if cell == origin
            or distance_m(lat, long, *h3.cell_to_latlng(cell)) <= radius_m + _EDGE_M[9]
        )
    )
