"""Geocoders: typed text to a point, a point to an address.

One seam with three implementations chosen by the GEOCODER setting: the city's own address points
(offline, the default), or a Nominatim or Pelias server the city runs or pays for. The core only
sees `Geocoder`; an HTTP failure surfaces as `GeocoderUnavailable` so the caller can tell the
resident to place a pin instead of failing the whole submission.

base.py holds the types, addresses.py the normalised keys, address_points.py the offline
geocoder, online.py Nominatim and Pelias; `get_geocoder` picks one.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from civic311.geo.geocoders.address_points import AddressPointGeocoder, import_address_points
from civic311.geo.geocoders.addresses import normalise_address
from civic311.geo.geocoders.base import Geocoder, GeocodeResult, GeocoderUnavailable
from civic311.geo.geocoders.online import Flavour, HttpGeocoder


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


__all__ = [
    "AddressPointGeocoder",
    "GeocodeResult",
    "Geocoder",
    "GeocoderUnavailable",
    "HttpGeocoder",
    "get_geocoder",
    "import_address_points",
    "normalise_address",
]
