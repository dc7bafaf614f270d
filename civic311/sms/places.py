"""Where a texted problem is: the address part of a message, looked up through the geocoder
seam, read back with its community area for the resident to confirm. The point is checked
again by the core's submission preview; what is found here is what the resident confirms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from civic311.geo.geocoders import GeocoderUnavailable, get_geocoder
from civic311.geo.locator import locate
from civic311.service_requests import selectors

_AT = re.compile(
    r"(?:^|\s)(?:at|on|near|by|en|cerca de|frente a|frente al|@)\s+(?P<address>\d.*)$",
    re.IGNORECASE,
)
_HOUSE = re.compile(r"(?:^|\s)(?P<address>\d{1,6}\s+(?:[NSEW]\.?\s+)?[A-Za-z].*)$", re.IGNORECASE)
MAX_TYPED = 200


def address_in(text: str) -> str:
    """The address part of "pothole at 1200 W Madison" ("1200 W Madison"), if any."""
    match = _AT.search(text) or _HOUSE.search(text)
    return match.group("address").strip(" .,!") if match else ""


@dataclass(frozen=True)
class Lookup:
    # The place as the dialog keeps it: {"address", "lat", "long", "area"}; None if not found.
    place: dict[str, Any] | None
    # Why it cannot be used, to text back.
    problem: str = ""


def look_up(typed: str) -> Lookup:
    """The place an address typed in a message is, in the city."""
    typed = typed.strip()[:MAX_TYPED]
    try:
        found = get_geocoder().geocode(typed) if typed else None
    except GeocoderUnavailable:
        return Lookup(
            None,
            _(
                "Address lookup is down for a moment. Please send the address again in a few "
                "minutes."
            ),
        )
    if found is None:
        return Lookup(
            None,
            _(
                "We could not find “%(address)s”. Send the number and street, like 1200 W "
                "Madison St."
            )
            % {"address": typed[:60]},
        )
    location = locate(found.lat, found.long)
    if not location.inside_city:
        return Lookup(
            None,
            _("%(address)s is outside the city. Send an address in the city.")
            % {"address": found.address},
        )
    area = selectors.area_names_for(ward="", community_area=location.community_area)
    return Lookup(
        {
            "address": found.address,
            "lat": found.lat,
            "long": found.long,
            "area": area.community_area,
        }
    )


def readback(place: dict[str, Any]) -> str:
    shown = f"{place['address']}, {place['area']}" if place.get("area") else place["address"]
    return _("%(place)s - reply YES, or send a better address.") % {"place": shown}
