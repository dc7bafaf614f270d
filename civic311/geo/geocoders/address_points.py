"""Offline geocoding on the city's own address points (the default): typed text to a point by its
normalised key (with house numbers interpolated along a street), a point to the nearest known
address, and loading the points."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import h3

from civic311.geo.cells import cells_for, distance_m
from civic311.geo.geocoders.addresses import (
    DIRECTION_ABBREVIATIONS,
    STREET_TYPE_ABBREVIATIONS,
    normalise_address,
)
from civic311.geo.geocoders.base import GeocodeResult
from civic311.geo.models import AddressPoint

# How far a reverse lookup may be from the nearest known address before "no address here" is the
# more honest answer (a park, the lake, a rail yard).
REVERSE_MAX_M = 300.0
_REVERSE_MAX_RINGS = 3
# A house number past the last known one on a street is trusted for this many numbers (two
# blocks on a 100-per-block grid); further out it is more likely beyond the city than on it.
_MAX_EXTRAPOLATION = 200


_NUMBERED = re.compile(r"(\d+) (.+)")
_DISPLAY_NUMBER = re.compile(r"\s*\d+[A-Za-z]?\s+(.+)")
_RING_RADIUS_M = h3.average_hexagon_edge_length(9, unit="m") * math.sqrt(3) / 2


def _from_point(point: AddressPoint) -> GeocodeResult:
    return GeocodeResult(
        address=point.address,
        lat=point.lat,
        long=point.long,
        zipcode=point.zipcode,
        address_id=str(point.pk),
    )


@dataclass(frozen=True)
class _Known:
    pk: int
    address: str
    lat: float
    long: float
    zipcode: str

    def result(self) -> GeocodeResult:
        return GeocodeResult(self.address, self.lat, self.long, self.zipcode, str(self.pk))


_KNOWN_FIELDS = ("key", "pk", "address", "lat", "long", "zipcode")


def _numbers_on(street: str) -> dict[int, _Known]:
    """The listed house numbers of one street ("W MADISON ST"), by number."""
    suffix = f" {street}"
    found: dict[int, _Known] = {}
    rows = AddressPoint.objects.filter(key__endswith=suffix).values_list(*_KNOWN_FIELDS)
    for key, *known in rows.iterator():
        prefix = key[: -len(suffix)]
        # endswith() also matches "1200 W MADISON ST" for the street "MADISON ST"; only rows
        # whose whole prefix is a number are on this street.
        if prefix.isdigit():
            found[int(prefix)] = _Known(*known)
    return found


def _numbers_on_untyped(street: str) -> dict[int, _Known]:
    """The street typed without its type ("W MADISON"), if exactly one type fits: many people
    leave "St" off, but "W Grand" could be Grand Ave or Grand Blvd in some cities."""
    infix = f" {street} "
    by_type: dict[str, dict[int, _Known]] = {}
    rows = AddressPoint.objects.filter(key__contains=infix).values_list(*_KNOWN_FIELDS)
    for key, *known in rows.iterator():
        prefix, _, street_type = key.partition(infix)
        if prefix.isdigit() and street_type in STREET_TYPE_ABBREVIATIONS:
            by_type.setdefault(street_type, {})[int(prefix)] = _Known(*known)
    return next(iter(by_type.values())) if len(by_type) == 1 else {}


class AddressPointGeocoder:
    """Looks addresses up in AddressPoint: no network, no third party, works on a laptop."""

    def geocode(self, text: str) -> GeocodeResult | None:
        key = normalise_address(text)
        if not key:
            return None
        point = AddressPoint.objects.filter(key=key).first()
        if point is not None:
            return _from_point(point)
        match = _NUMBERED.fullmatch(key)
        if match is None:
            return None
        return self._along_street(int(match.group(1)), match.group(2))

    def _along_street(self, number: int, street: str) -> GeocodeResult | None:
        """Place a house number the file does not list between its neighbours on the street."""
        words = street.split()
        # "12 W ST" names no street, and would read every row that ends in " ST".
        if all(w in DIRECTION_ABBREVIATIONS or w in STREET_TYPE_ABBREVIATIONS for w in words):
            return None
        neighbours = _numbers_on(street)
        if not neighbours and words[-1] not in STREET_TYPE_ABBREVIATIONS:
            neighbours = _numbers_on_untyped(street)
        if not neighbours:
            return None
        if number in neighbours:  # "1200 W Madison" for the listed "1200 W Madison St"
            return neighbours[number].result()
        below = max((n for n in neighbours if n < number), default=None)
        above = min((n for n in neighbours if n > number), default=None)
        if below is not None and above is not None:
            low, high = neighbours[below], neighbours[above]
            t = (number - below) / (above - below)
            lat = low.lat + t * (high.lat - low.lat)
            long = low.long + t * (high.long - low.long)
            nearest = low if number - below <= above - number else high
        else:
            closest = min(neighbours, key=lambda n: abs(n - number))
            if abs(closest - number) > _MAX_EXTRAPOLATION:
                return None
            nearest = neighbours[closest]
            lat, long = nearest.lat, nearest.long
        display = _DISPLAY_NUMBER.fullmatch(nearest.address)
        street_name = display.group(1) if display else nearest.address
        return GeocodeResult(
            address=f"{number} {street_name}", lat=lat, long=long, zipcode=nearest.zipcode
        )

    def reverse(self, lat: float, long: float) -> GeocodeResult | None:
        origin = h3.latlng_to_cell(lat, long, 9)
        best: tuple[float, int] | None = None
        for rings in range(1, _REVERSE_MAX_RINGS + 1):
            cells = h3.grid_disk(origin, rings)
            # Bare coordinates: every submission placed by a pin runs this over dozens of points.
            candidates = AddressPoint.objects.filter(h3_r9__in=cells).values_list(
                "pk", "lat", "long"
            )
            for pk, point_lat, point_long in candidates:
                d = distance_m(lat, long, point_lat, point_long)
                if best is None or d < best[0]:
                    best = (d, pk)
            # k rings are sure to hold every point within (k - 1) ring widths (the rule
            # cells.disk uses), so a nearer point cannot be hiding in the next ring.
            if best is not None and best[0] <= (rings - 1) * _RING_RADIUS_M:
                break
        if best is None or best[0] > REVERSE_MAX_M:
            return None
        return _from_point(AddressPoint.objects.get(pk=best[1]))

    def by_address_id(self, address_id: str) -> GeocodeResult | None:
        try:
            pk = int(address_id)
        except ValueError:
            return None
        point = AddressPoint.objects.filter(pk=pk).first()
        return None if point is None else _from_point(point)


_BATCH_SIZE = 1000
_MAX_ADDRESS_LENGTH = 200  # AddressPoint.address and .key
_MAX_ZIP_LENGTH = 10


def import_address_points(rows: Iterable[tuple[str, float, float, str]]) -> int:
    """Insert or update address points from (address, lat, long, zipcode) rows.

    Returns the number of rows written. An address already present (same normalised key) is
    updated in place, so re-running an import with a corrected file is safe. Raises ValueError
    on an address that normalises to nothing, is too long, or has impossible coordinates.
    """
    written = 0
    batch: dict[str, AddressPoint] = {}
    for address, lat, long, zipcode in rows:
        point = _address_point(address, lat, long, zipcode)
        # One INSERT ... ON CONFLICT may not touch the same key twice (PostgreSQL refuses), so a
        # repeated address within a batch keeps its last row.
        batch[point.key] = point
        if len(batch) >= _BATCH_SIZE:
            written += _upsert(batch.values())
            batch = {}
    if batch:
        written += _upsert(batch.values())
    return written


def _address_point(address: str, lat: float, long: float, zipcode: str) -> AddressPoint:
    display = " ".join(address.split())
    key = normalise_address(display)
    if not key:
        raise ValueError(f"address {address!r} has no street address in it")
    if len(display) > _MAX_ADDRESS_LENGTH or len(key) > _MAX_ADDRESS_LENGTH:
        raise ValueError(f"address {address!r} is longer than {_MAX_ADDRESS_LENGTH} characters")
    if not (
        math.isfinite(lat) and -90 <= lat <= 90 and math.isfinite(long) and -180 <= long <= 180
    ):
        raise ValueError(f"address {address!r} has impossible coordinates ({lat}, {long})")
    zipcode = zipcode.strip()
    if len(zipcode) > _MAX_ZIP_LENGTH:
        raise ValueError(f"ZIP code {zipcode!r} is longer than {_MAX_ZIP_LENGTH} characters")
    h3_r9, _ = cells_for(lat, long)
    return AddressPoint(key=key, address=display, lat=lat, long=long, zipcode=zipcode, h3_r9=h3_r9)


def _upsert(points: Iterable[AddressPoint]) -> int:
    created = AddressPoint.objects.bulk_create(
        list(points),
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["address", "lat", "long", "zipcode", "h3_r9"],
    )
    return len(created)
