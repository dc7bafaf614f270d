"""Online geocoding through a Nominatim or Pelias server the city runs or pays for. Every answer
is checked before it is believed; any failure is GeocoderUnavailable."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from http.client import HTTPException
from typing import Literal
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from civic311.geo.geocoders.base import GeocodeResult, GeocoderUnavailable

logger = logging.getLogger(__name__)

USER_AGENT = "Civic311 geocoder"
# Nominatim and Pelias answers for one hit are a few kilobytes; anything much larger is not the
# service we think we are talking to.
_MAX_BODY_BYTES = 1_000_000


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
