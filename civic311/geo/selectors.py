"""Reads of the city's areas (wards, community areas, ZIP codes) that pages list and open."""

from __future__ import annotations

from civic311.geo.models import Area


def _natural(code: str) -> tuple[int, str]:
    """Ward "2" before "10"; codes that are not numbers after them."""
    return (len(code), code) if code.isdigit() else (99, code)


def areas_of_kind(kind: str) -> list[tuple[str, str]]:
    """Every area of a kind as (code, name), in the natural order of their codes."""
    rows = Area.objects.filter(kind=kind).values_list("code", "name")
    return sorted(rows, key=lambda row: _natural(row[0]))


def get_area(kind: str, code: str) -> Area | None:
    return Area.objects.filter(kind=kind, code=code).only("code", "name", "kind").first()
