"""Where a report is: lat/long (preferred), an address id or an address, turned into a point in
the city with its ward, community area and ZIP. The geocoder is asked at most once."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils.translation import gettext as _

from civic311.geo.geocoders import GeocodeResult, GeocoderUnavailable, get_geocoder
from civic311.geo.locator import Location, locate
from civic311.lib.errors import InvalidInput, Problem, Unavailable
from civic311.service_requests.actions.checks import too_long

MAX_ADDRESS = 255


@dataclass(frozen=True)
class Place:
    lat: float
    long: float
    address: str
    address_id: str
    zipcode: str
    location: Location


def _coordinate(
    raw: float | str | None, name: str, low: float, high: float, problems: list[Problem]
) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        problems.append(
            Problem("location.not_a_number", name, _("%(name)s must be a number.") % {"name": name})
        )
        return None
    if not math.isfinite(value) or not low <= value <= high:
        problems.append(
            Problem(
                "location.out_of_range",
                name,
                _("%(name)s must be between %(low)s and %(high)s.")
                % {"name": name, "low": low, "high": high},
            )
        )
        return None
    return value


@contextmanager
def _geocoder_down_is_unavailable() -> Iterator[None]:
    try:
        yield
    except GeocoderUnavailable as exc:
        raise Unavailable(
            [
                Problem(
                    "geocoder.unavailable",
                    "address_string",
                    _("Address lookup is down; put a pin on the map or try again later."),
                )
            ]
        ) from exc


def _look_up(address: str, address_id: str, problems: list[Problem]) -> GeocodeResult | None:
    """The point of an address id, or of an address string; a problem when there is neither."""
    geocoder = get_geocoder()
    if address_id:
        found = geocoder.by_address_id(address_id)
        if found is None:
            problems.append(Problem("address_id.unknown", "address_id", _("Unknown address_id.")))
        return found
    if address:
        found = geocoder.geocode(address)
        if found is None:
            problems.append(
                Problem(
                    "address.not_found",
                    "address_string",
                    _("We could not find “%(address)s”. Check it, or put a pin on the map.")
                    % {"address": address[:100]},
                )
            )
        return found
    problems.append(
        Problem(
            "location.missing",
            "lat",
            _("Say where: lat and long, an address_string or an address_id."),
        )
    )
    return None


def _in_city(
    lat: float, long: float, *, address: str, address_id: str, zipcode: str, problems: list[Problem]
) -> Place | None:
    location = locate(lat, long)
    if not location.inside_city:
        problems.append(
            Problem(
                "location.outside_city",
                "lat",
                _("This place is outside the city. The city can only fix problems within it."),
            )
        )
        return None
    return Place(
        lat=lat,
        long=long,
        address=address,
        address_id=address_id,
        zipcode=location.zipcode or zipcode,
        location=location,
    )


def resolve_place(
    *,
    lat: float | str | None,
    long: float | str | None,
    address: str,
    address_id: str,
    problems: list[Problem],
) -> Place | None:
    """A point, from lat/long (preferred), an address id, or an address string; None with the
    problem added when there is none. Raises Unavailable when the geocoder is down."""
    n = len(problems)
    latitude = _coordinate(lat, "lat", -90, 90, problems)
    longitude = _coordinate(long, "long", -180, 180, problems)
    if len(address) > MAX_ADDRESS:
        problems.append(too_long("address.too_long", "address_string", MAX_ADDRESS))
    if len(problems) > n:
        return None
    if (latitude is None) != (longitude is None):
        missing = "long" if longitude is None else "lat"
        problems.append(
            Problem("location.incomplete", missing, _("Send both lat and long, or neither."))
        )
        return None
    zipcode = ""
    with _geocoder_down_is_unavailable():
        if latitude is None or longitude is None:
            found = _look_up(address, address_id, problems)
            if found is None:
                return None
            latitude, longitude, zipcode = found.lat, found.long, found.zipcode
            address, address_id = address or found.address, address_id or found.address_id
        elif not address:
            found = get_geocoder().reverse(latitude, longitude)
            if found is not None:
                address, zipcode = found.address, found.zipcode
    return _in_city(
        latitude,
        longitude,
        address=address,
        address_id=address_id,
        zipcode=zipcode,
        problems=problems,
    )


def locate_place(
    *, lat: float | str | None = None, long: float | str | None = None, address: str = ""
) -> Place:
    """Where a report would be, for a page that shows it back as it is typed (the resident's
    map asks this). Raises InvalidInput (outside the city, not found) or Unavailable (geocoder
    down)."""
    problems: list[Problem] = []
    place = resolve_place(
        lat=lat, long=long, address=(address or "").strip(), address_id="", problems=problems
    )
    if problems or place is None:
        raise InvalidInput(problems)
    return place
