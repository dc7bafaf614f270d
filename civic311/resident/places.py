"""Where a report is: an address or a pin turned into a point, its address, ward and community
area, shown back to the resident before they submit (the form, and the lookup the map calls)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civic311.lib.errors import DomainError
from civic311.lib.ratelimit import client_address, hit
from civic311.service_requests import actions, selectors


@dataclass(frozen=True)
class FoundPlace:
    lat: float
    long: float
    address: str
    address_id: str
    ward: str
    ward_name: str
    community_area: str
    community_area_name: str

    @property
    def areas(self) -> str:
        """ "Ward 27 · Near West Side": what the resident sees back."""
        return " · ".join(name for name in (self.ward_name, self.community_area_name) if name)

    def as_json(self) -> dict[str, object]:
        return {
            "lat": round(self.lat, 6),
            "long": round(self.long, 6),
            "address": self.address,
            "ward": self.ward,
            "community_area": self.community_area,
            "areas": self.areas,
        }


def find(
    *, lat: str | float | None = None, long: str | float | None = None, address: str = ""
) -> FoundPlace:
    """The place, through the same lookup submissions use. Raises DomainError."""
    return found(actions.locate_place(lat=lat, long=long, address=address))


def found(place: actions.Place) -> FoundPlace:
    """A place the core found, with the names of its areas."""
    names = selectors.area_names_for(
        ward=place.location.ward, community_area=place.location.community_area
    )
    return FoundPlace(
        lat=place.lat,
        long=place.long,
        address=place.address,
        address_id=place.address_id,
        ward=place.location.ward,
        ward_name=names.ward,
        community_area=place.location.community_area,
        community_area_name=names.community_area,
    )


@require_GET
def lookup(request: HttpRequest) -> JsonResponse:
    """/report/place?address=… or ?lat=…&long=…: the point, its address and areas (JSON).

    Rate limited per client: it spends a geocoder's time, which a city may pay for."""
    wait = hit("place", client_address(request), settings.PLACE_LOOKUPS_PER_MINUTE)
    if wait is not None:
        response = JsonResponse(
            {"error": _("Too many look-ups. Wait a minute, or type the address.")}, status=429
        )
        response["Retry-After"] = str(wait)
        return response
    address = request.GET.get("address", "")[: actions.MAX_ADDRESS + 1]
    lat, long = request.GET.get("lat"), request.GET.get("long")
    if not address.strip() and not (lat and long):
        return JsonResponse({"error": _("Type an address or put a pin on the map.")}, status=400)
    try:
        found = find(lat=lat, long=long, address="" if lat and long else address)
    except DomainError as error:
        return JsonResponse({"error": error.problems[0].message}, status=422)
    return JsonResponse(found.as_json())
