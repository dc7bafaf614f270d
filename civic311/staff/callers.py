"""Finding what a caller is calling about, from whatever they say first: a tracking number, an
address, or the phone number they reported from.

One box takes all three. Letters mean an address; digits are tried as a tracking number and,
when there are enough of them, as a phone number too ("3125550100" could be either, and
showing both costs one indexed read more). Only staff reach this module: a phone search reads
the private ReporterContact, through its own index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from civic311.choices import Status
from civic311.geo import cells
from civic311.geo.geocoders import GeocodeResult, GeocoderUnavailable, get_geocoder
from civic311.service_requests import selectors, tracking
from civic311.service_requests.models import ReporterContact, ServiceRequest

# "At this address": requests within this many metres of the address point, of the last year.
SAME_PLACE_M = 30.0
SAME_PLACE_DAYS = 365
# "Open nearby": open requests of any service within this many metres.
NEARBY_M = 150.0
LIMIT = 9  # the desk opens a result with keys 1-9
MIN_PHONE_DIGITS = 7
MAX_QUERY = 200


@dataclass
class Lookup:
    text: str
    place: GeocodeResult | None = None
    by_number: ServiceRequest | None = None
    by_phone: list[ServiceRequest] = field(default_factory=list)
    at_place: list[ServiceRequest] = field(default_factory=list)
    nearby: list[selectors.Nearby] = field(default_factory=list)
    phone: str = ""  # the digits, when the text could be a phone number
    geocoder_down: bool = False
    address_not_found: bool = False

    @property
    def found_anything(self) -> bool:
        return bool(self.by_number or self.by_phone or self.at_place or self.nearby)


def phone_digits(text: str) -> str:
    """The digits of a phone number as it was typed, or "" when it cannot be one."""
    if any(c not in "0123456789+-(). " for c in text):
        return ""
    digits = re.sub(r"\D", "", text)
    return digits if MIN_PHONE_DIGITS <= len(digits) <= 15 else ""


def phone_forms(digits: str) -> list[str]:
    """The ways one number may have been stored: actions.submit_request keeps the digits, with a
    "+" when one was typed, so 312-555-0100, 1 312 555 0100 and +1 312 555 0100 are three."""
    forms = {digits, f"+{digits}"}
    if len(digits) == 10:
        forms |= {f"1{digits}", f"+1{digits}"}
    elif len(digits) == 11 and digits.startswith("1"):
        forms |= {digits[1:]}
    return sorted(forms)


def requests_by_phone(digits: str, *, limit: int = LIMIT) -> list[ServiceRequest]:
    """The newest requests reported from this phone number (index on ReporterContact.phone)."""
    ids = list(
        ReporterContact.objects.filter(phone__in=phone_forms(digits))
        .order_by("-request_id")
        .values_list("request_id", flat=True)[:limit]
    )
    if not ids:
        return []
    found = ServiceRequest.objects.select_related("service", "department").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def requests_at(place: GeocodeResult, *, limit: int = LIMIT) -> list[ServiceRequest]:
    """Requests of the last year at an address (within SAME_PLACE_M of its point), newest first.

    A busy downtown block holds thousands of requests a year, so the candidates are read as
    bare coordinates from the covering index (h3_r9, status, requested_at, lat, long) of the one
    to three cells that can hold them (every status named, so the index is searched, not
    scanned); whole requests only for the few kept."""
    since = timezone.now() - timedelta(days=SAME_PLACE_DAYS)
    candidates = ServiceRequest.objects.filter(
        h3_r9__in=cells.tight_cover(place.lat, place.long, SAME_PLACE_M),
        status__in=Status.values,
        requested_at__gte=since,
    ).values_list("pk", "lat", "long")
    # Newest first by id, which follows the time of submission (and of import): reading the
    # dates of a busy block's thousands of rows would cost more than the rest of the lookup.
    kept = sorted(
        (
            pk
            for pk, lat, long in candidates
            if cells.distance_m(place.lat, place.long, lat, long) <= SAME_PLACE_M
        ),
        reverse=True,
    )
    # Developers' test requests are rare; leaving them out here keeps the scan on the index.
    ids = kept[: limit * 2]
    found = ServiceRequest.objects.select_related("service", "department").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found and not found[pk].is_test][:limit]


def look_up(text: str) -> Lookup:
    text = " ".join(text.split())[:MAX_QUERY]
    found = Lookup(text=text)
    if not text:
        return found
    if not any(c.isalpha() for c in text):
        found.by_number = selectors.find_by_typed_number(text)
        # "26-00012345" as written on a receipt is a number, never a phone.
        found.phone = "" if tracking.is_canonical(text) else phone_digits(text)
        if found.phone:
            found.by_phone = requests_by_phone(found.phone)
        # An address has a street name: digits alone are a number, or nothing known.
        return found
    try:
        place = get_geocoder().geocode(text)
    except GeocoderUnavailable:
        found.geocoder_down = True
        return found
    if place is None:
        found.address_not_found = True
        return found
    found.place = place
    found.at_place = requests_at(place)
    found.nearby = selectors.open_requests_nearby(
        lat=place.lat, long=place.long, radius_m=NEARBY_M, limit=LIMIT
    )
    return found
