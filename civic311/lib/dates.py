"""Moments as the city's clock shows them. Storage is always UTC; the city's zone is applied
only here, at the edges (API output, pages, messages)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def city_zone() -> ZoneInfo:
    return _zone(settings.CITY_TIME_ZONE)


def w3c(moment: datetime | None) -> str | None:
    """A datetime as the city's clock shows it, with its offset: 2026-05-01T08:15:30-05:00."""
    if moment is None:
        return None
    return moment.astimezone(city_zone()).isoformat(timespec="seconds")
