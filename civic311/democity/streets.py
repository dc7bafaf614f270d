"""The demo city's address points, computed from Chicago's street grid.

Chicago numbers addresses from one origin, State and Madison: State St is 0 east/west, Madison St
is 0 north/south, and numbers grow by 800 a mile in every direction. A street's grid position
plus a house number therefore gives a point without any address file, which lets the demo geocode
"1200 W Madison St" offline. The grid is straight enough for a demo (tens of metres off here and
there); a real deployment loads its own address file with `manage.py import_address_points`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Literal

STREETS_CSV = Path(__file__).resolve().parent / "data" / "chicago_streets.csv"

ORIGIN_LAT = 41.88196  # State & Madison
ORIGIN_LONG = -87.62787
NUMBERS_PER_MILE = 800
LAT_PER_MILE = 0.014483
LONG_PER_MILE = 0.019410  # at Chicago's latitude

Axis = Literal["ns", "ew"]


@dataclass(frozen=True)
class Street:
    name: str  # "Madison St"
    axis: Axis  # "ns": runs north-south, numbered N/S; "ew": runs east-west, numbered E/W
    grid: int  # where it crosses the other axis: Halsted St is -800 (800 W)


def grid_to_latlong(x_east: float, y_north: float) -> tuple[float, float]:
    """(lat, long) of a grid position given in address numbers east and north of the origin."""
    return (
        ORIGIN_LAT + y_north / NUMBERS_PER_MILE * LAT_PER_MILE,
        ORIGIN_LONG + x_east / NUMBERS_PER_MILE * LONG_PER_MILE,
    )


def read_streets(path: str | PathLike[str]) -> list[Street]:
    """Streets from a `name,axis,grid` CSV. Raises ValueError naming the line of a bad row."""
    streets: list[Street] = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for record in reader:
            where = f"{path}, line {reader.line_num}"
            name = (record.get("name") or "").strip()
            axis = (record.get("axis") or "").strip()
            if not name:
                raise ValueError(f"{where}: the street has no name")
            if axis not in ("ns", "ew"):
                raise ValueError(f"{where}: axis must be 'ns' or 'ew', not {axis!r}")
            try:
                grid = int(record.get("grid") or "")
            except ValueError:
                raise ValueError(
                    f"{where}: grid {record.get('grid')!r} is not a whole number"
                ) from None
            streets.append(Street(name=name, axis="ns" if axis == "ns" else "ew", grid=grid))
    return streets


def address_points(
    streets_csv_path: str | PathLike[str],
    *,
    step: int = 100,
    inside: Callable[[float, float], bool],
    margin: int = 1600,
) -> Iterator[tuple[str, float, float, str]]:
    """(address, lat, long, zipcode) for every `step` numbers along every street, on both sides
    of the origin, kept where `inside(lat, long)` is true.

    Every street is walked across the whole grid (the outermost streets plus `margin` numbers),
    because the file says where a street is, not where it starts and ends; `inside` (the city
    locator, in practice) trims the walk to the city. The ZIP code is left empty for the caller
    to fill from the ZIP boundaries.
    """
    if step <= 0:
        raise ValueError("step must be a positive number of addresses")
    streets = read_streets(streets_csv_path)
    xs = [street.grid for street in streets if street.axis == "ns"] or [0]
    ys = [street.grid for street in streets if street.axis == "ew"] or [0]
    west, east = min(xs) - margin, max(xs) + margin
    south, north = min(ys) - margin, max(ys) + margin
    seen: set[str] = set()
    for street in streets:
        if street.axis == "ew":
            walk = ((n, street.grid, "E" if n > 0 else "W") for n in _numbers(west, east, step))
        else:
            walk = ((street.grid, n, "N" if n >= 0 else "S") for n in _numbers(south, north, step))
        for x, y, letter in walk:
            address = f"{abs(x if street.axis == 'ew' else y)} {letter} {street.name}"
            if address in seen:
                continue
            seen.add(address)
            lat, long = grid_to_latlong(x, y)
            if inside(lat, long):
                # Six decimals is about 10 cm: plenty, and keeps exported files readable.
                yield address, round(lat, 6), round(long, 6), ""


def _numbers(low: int, high: int, step: int) -> Iterator[int]:
    """Signed numbers from the origin outwards. 0 comes once: "0 W Madison St" and
    "0 E Madison St" would be two names for one point."""
    yield from range(0, low - 1, -step)
    yield from range(step, high + 1, step)
