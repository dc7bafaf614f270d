"""Geocoders: typed text to a point, a point to an address.

One seam with three implementations chosen by the GEOCODER setting: the city's own address points
(offline, the default), or a Nominatim or Pelias server the city runs or pays for. The core only
sees `Geocoder`; an HTTP failure surfaces as `GeocoderUnavailable` so the caller can tell the
resident to place a pin instead of failing the whole submission.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.client import HTTPException
from typing import Literal, Protocol
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import h3
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from civic311.geo.cells import cells_for, distance_m
from civic311.geo.models import AddressPoint

logger = logging.getLogger(__name__)

USER_AGENT = "Civic311 geocoder"
# Nominatim and Pelias answers for one hit are a few kilobytes; anything much larger is not the
# service we think we are talking to.
_MAX_BODY_BYTES = 1_000_000
# How far a reverse lookup may be from the nearest known address before "no address here" is the
# more honest answer (a park, the lake, a rail yard).
REVERSE_MAX_M = 300.0
_REVERSE_MAX_RINGS = 3
# A house number past the last known one on a street is trusted for this many numbers (two
# blocks on a 100-per-block grid); further out it is more likely beyond the city than on it.
_MAX_EXTRAPOLATION = 200


@dataclass(frozen=True)
class GeocodeResult:
    address: str
    lat: float
    long: float
    zipcode: str = ""
    address_id: str = ""


class GeocoderUnavailable(Exception):
    """The geocoding service did not answer usefully (timeout, error status, malformed answer)."""


class Geocoder(Protocol):
    def geocode(self, text: str) -> GeocodeResult | None: ...

    def reverse(self, lat: float, long: float) -> GeocodeResult | None: ...

    def by_address_id(self, address_id: str) -> GeocodeResult | None: ...


# --- Normalised address keys ------------------------------------------------------------------

_STREET_TYPES = {
    "STREET": "ST",
    "STR": "ST",
    "AVENUE": "AVE",
    "AV": "AVE",
    "AVEN": "AVE",
    "BOULEVARD": "BLVD",
    "BOUL": "BLVD",
    "BLV": "BLVD",
    "ROAD": "RD",
    "DRIVE": "DR",
    "DRV": "DR",
    "PLACE": "PL",
    "PARKWAY": "PKWY",
    "PKY": "PKWY",
    "COURT": "CT",
    "LANE": "LN",
    "TERRACE": "TER",
    "HIGHWAY": "HWY",
    "EXPRESSWAY": "EXPY",
    "SQUARE": "SQ",
    "CIRCLE": "CIR",
    "TRAIL": "TRL",
    "PLAZA": "PLZ",
    "ALLEY": "ALY",
}
_STREET_TYPE_ABBREVIATIONS = frozenset(_STREET_TYPES.values()) | {"WAY"}
_DIRECTIONS = {
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
    "NORTHEAST": "NE",
    "NORTHWEST": "NW",
    "SOUTHEAST": "SE",
    "SOUTHWEST": "SW",
}
_DIRECTION_ABBREVIATIONS = frozenset(_DIRECTIONS.values())
_WORDS = {**_STREET_TYPES, **_DIRECTIONS, "SAINT": "ST"}
# fmt: off
_STATES = frozenset((
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "PR",
))
# fmt: on
_UNIT = re.compile(r"(?:#|\b(?:APT|APARTMENT|UNIT|SUITE|STE)\b\.?)\s*[\w-]+")
_HOUSE_NUMBER = re.compile(r"\d+[A-Z]?")


def normalise_address(text: str) -> str:
    """The comparison key of an address: "1200 west madison street, Chicago, IL 60607" and
    "1200 W. Madison St" both give "1200 W MADISON ST".

    Only the street address is kept: city, state, ZIP, country and unit are dropped, because
    address points are one per building and the city is implied.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    upper = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    parts = [part.strip() for part in upper.split(",") if part.strip()]
    if not parts:
        return ""
    street = parts[0]
    # Some sources write "1200, West Madison Street, ...": the number is its own part.
    if len(parts) > 1 and street.isdigit():
        street = f"{street} {parts[1]}"
    street = _UNIT.sub(" ", street)
    # Dots and apostrophes join ("W." -> "W", "O'Brien" -> "OBRIEN"); other marks separate.
    street = re.sub(r"[.'`\u2019]", "", street)
    street = re.sub(r"[^\w\s]|_", " ", street)
    tokens = _strip_region(street.split())
    tokens = [_WORDS.get(token, token) for token in tokens]
    tokens = _ordinals(tokens)
    return " ".join(_cut_after_street_type(tokens))


def _strip_region(tokens: list[str]) -> list[str]:
    if tokens[-3:] == ["UNITED", "STATES", "AMERICA"] and len(tokens) > 4:
        tokens = tokens[:-4]  # "... UNITED STATES OF AMERICA"
    elif tokens[-2:] == ["UNITED", "STATES"] and len(tokens) > 2:
        tokens = tokens[:-2]
    elif len(tokens) > 1 and tokens[-1] in {"USA", "US"}:
        tokens = tokens[:-1]
    zip_found = False
    if (
        len(tokens) > 2
        and re.fullmatch(r"\d{4}", tokens[-1])
        and re.fullmatch(r"\d{5}", tokens[-2])
    ):
        tokens, zip_found = tokens[:-2], True  # ZIP+4 split at its hyphen
    elif len(tokens) > 1 and re.fullmatch(r"\d{5}|\d{9}", tokens[-1]):
        tokens, zip_found = tokens[:-1], True
    # A bare trailing "CT" or "IN" is more likely Court or a word of the street than a state, so
    # a state is only recognised in front of a ZIP.
    if zip_found and len(tokens) > 1 and tokens[-1] in _STATES:
        tokens = tokens[:-1]
    return tokens


def _ordinals(tokens: list[str]) -> list[str]:
    # "E 79 ST" is how many people type "E 79TH ST". The first token is the house number.
    result = list(tokens)
    for i in range(1, len(tokens) - 1):
        if tokens[i].isdigit() and tokens[i + 1] in _STREET_TYPE_ABBREVIATIONS:
            result[i] = tokens[i] + _ordinal_suffix(int(tokens[i]))
    return result


def _ordinal_suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return "TH"
    return {1: "ST", 2: "ND", 3: "RD"}.get(n % 10, "TH")


def _cut_after_street_type(tokens: list[str]) -> list[str]:
    """Drop what follows the street type ("... MADISON ST CHICAGO", "... ST APT 3")."""
    start = 0
    if tokens and _HOUSE_NUMBER.fullmatch(tokens[0]):
        start = 1
    if len(tokens) > start + 1 and tokens[start] in _DIRECTION_ABBREVIATIONS:
        start += 1
    # The type must follow at least one word of the name: in "AVENUE O" it is the name.
    last_type = None
    for i in range(start + 1, len(tokens)):
        if tokens[i] in _STREET_TYPE_ABBREVIATIONS:
            last_type = i
    if last_type is None:
        return tokens
    end = last_type + 1
    if end < len(tokens) and tokens[end] in _DIRECTION_ABBREVIATIONS:
        end += 1  # a post-directional, "MAIN ST NW"
    return tokens[:end]


# --- Offline: the city's address points --------------------------------------------------------

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
        if prefix.isdigit() and street_type in _STREET_TYPE_ABBREVIATIONS:
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
        if all(w in _DIRECTION_ABBREVIATIONS or w in _STREET_TYPE_ABBREVIATIONS for w in words):
            return None
        neighbours = _numbers_on(street)
        if not neighbours and words[-1] not in _STREET_TYPE_ABBREVIATIONS:
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


# --- Online: Nominatim or Pelias ----------------------------------------------------------------

Flavour = Literal["nominatim", "pelias"]


class HttpGeocoder:
    """A Nominatim or Pelias server, over plain HTTP(S) with the standard library."""

    def __init__(self, base_url: str, flavour: Flavour, timeout: float) -> None:
        if flavour not in ("nominatim", "pelias"):
            raise ValueError(f"unknown geocoder flavour {flavour!r}")
        parts = urlsplit(base_url)
        # urlopen also opens file:// and ftp:// addresses; a geocoder is only ever HTTP.
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"geocoder address must be an http(s) URL, not {base_url!r}")
        if not timeout > 0:
            raise ValueError("geocoder timeout must be more than 0 seconds")
        self.base_url = base_url.rstrip("/")
        self.flavour: Flavour = flavour
        self.timeout = timeout

    def geocode(self, text: str) -> GeocodeResult | None:
        if not text.strip():
            return None
        if self.flavour == "nominatim":
            params = {"q": text, "format": "jsonv2", "limit": "1", "addressdetails": "1"}
            data = self._get("/search", params)
            if not isinstance(data, list):
                raise GeocoderUnavailable("the geocoder's answer was not a list of places")
            return _nominatim_place(data[0]) if data else None
        return _pelias_feature(self._get("/v1/search", {"text": text, "size": "1"}))

    def reverse(self, lat: float, long: float) -> GeocodeResult | None:
        if self.flavour == "nominatim":
            params = {
                "lat": repr(lat),
                "lon": repr(long),
                "format": "jsonv2",
                "addressdetails": "1",
            }
            return _nominatim_place(self._get("/reverse", params))
        params = {"point.lat": repr(lat), "point.lon": repr(long), "size": "1"}
        return _pelias_feature(self._get("/v1/reverse", params))

    def by_address_id(self, address_id: str) -> GeocodeResult | None:
        # Address ids name rows of the city's own address file; a remote service has none.
        return None

    def _get(self, path: str, params: Mapping[str, str]) -> object:
        url = f"{self.base_url}{path}?{urlencode(params)}"
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        request = Request(url, headers=headers)  # noqa: S310 -- scheme checked in __init__
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310 -- as above
                body = response.read(_MAX_BODY_BYTES + 1)
        except HTTPError as exc:
            exc.close()  # it holds the error response open
            raise self._unavailable(path, f"HTTP {exc.code}") from exc
        except (OSError, HTTPException) as exc:
            # OSError covers refused connections, DNS failures and timeouts (TimeoutError).
            raise self._unavailable(path, type(exc).__name__) from exc
        if len(body) > _MAX_BODY_BYTES:
            raise self._unavailable(path, "answer too large")
        try:
            return json.loads(body)
        except ValueError as exc:
            raise self._unavailable(path, "answer is not JSON") from exc

    def _unavailable(self, path: str, reason: str) -> GeocoderUnavailable:
        # The query is a resident's address; log where and why, not what.
        logger.warning("geocoder %s%s failed: %s", self.base_url, path, reason)
        return GeocoderUnavailable(f"the geocoding service did not answer ({reason})")


def _coordinate(value: object, limit: float) -> float:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise GeocoderUnavailable("the geocoder's answer has no usable coordinates")
    try:
        number = float(value)
    except ValueError as exc:
        raise GeocoderUnavailable("the geocoder's answer has no usable coordinates") from exc
    if not (math.isfinite(number) and -limit <= number <= limit):
        raise GeocoderUnavailable("the geocoder's answer has no usable coordinates")
    return number


def _text(mapping: Mapping[str, object], key: str) -> str:
    value = mapping.get(key)
    return str(value).strip() if isinstance(value, str | int) else ""


def _nominatim_place(place: object) -> GeocodeResult | None:
    if not isinstance(place, dict):
        raise GeocoderUnavailable("the geocoder's answer was not a place")
    if "error" in place:  # how /reverse says "nothing here"
        return None
    lat = _coordinate(place.get("lat"), 90)
    long = _coordinate(place.get("lon"), 180)
    details = place.get("address")
    details = details if isinstance(details, dict) else {}
    road = _text(details, "road")
    number = _text(details, "house_number")
    address = " ".join(part for part in (number, road) if part) if road else ""
    address = address or _text(place, "display_name") or _text(place, "name")
    return GeocodeResult(
        address=address or f"{lat:.5f}, {long:.5f}",
        lat=lat,
        long=long,
        zipcode=_text(details, "postcode"),
    )


def _pelias_feature(data: object) -> GeocodeResult | None:
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise GeocoderUnavailable("the geocoder's answer was not a GeoJSON FeatureCollection")
    features = data["features"]
    if not features:
        return None
    feature = features[0]
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        raise GeocoderUnavailable("the geocoder's answer has no usable coordinates")
    long = _coordinate(coordinates[0], 180)  # GeoJSON order: longitude first
    lat = _coordinate(coordinates[1], 90)
    properties = feature.get("properties") if isinstance(feature, dict) else None
    properties = properties if isinstance(properties, dict) else {}
    address = _text(properties, "label") or _text(properties, "name")
    return GeocodeResult(
        address=address or f"{lat:.5f}, {long:.5f}",
        lat=lat,
        long=long,
        zipcode=_text(properties, "postalcode"),
    )


# --- Choosing one ----------------------------------------------------------------------------


def get_geocoder() -> Geocoder:
    """The geocoder the settings ask for (one instance per distinct configuration)."""
    return _build(
        settings.GEOCODER, settings.GEOCODER_URL, float(settings.GEOCODER_TIMEOUT_SECONDS)
    )


@functools.lru_cache(maxsize=8)
def _build(kind: str, url: str, timeout: float) -> Geocoder:
    if kind == "address_points":
        return AddressPointGeocoder()
    if kind not in ("nominatim", "pelias"):
        raise ImproperlyConfigured(
            f"GEOCODER={kind!r} is not known; use address_points, nominatim or pelias."
        )
    if not url:
        raise ImproperlyConfigured(
            f"GEOCODER={kind} needs GEOCODER_URL, the base address of the {kind} service "
            "(for example https://geocoder.example.org)."
        )
    flavour: Flavour = "nominatim" if kind == "nominatim" else "pelias"
    try:
        return HttpGeocoder(url, flavour, timeout)
    except ValueError as exc:
        raise ImproperlyConfigured(f"GEOCODER_URL / GEOCODER_TIMEOUT_SECONDS: {exc}.") from exc


# --- Loading address points -------------------------------------------------------------------

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
