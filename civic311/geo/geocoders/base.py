"""The geocoder seam's types: what a lookup answers, and the failure of an outside service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


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
