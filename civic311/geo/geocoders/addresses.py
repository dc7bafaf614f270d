"""Normalised address keys: "1200 West Madison Street, Chicago IL" and "1200 w madison st" are one
key, so typed addresses find the city's address points (and a geocoder's answers compare)."""

from __future__ import annotations

import re
import unicodedata

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
STREET_TYPE_ABBREVIATIONS = frozenset(_STREET_TYPES.values()) | {"WAY"}
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
DIRECTION_ABBREVIATIONS = frozenset(_DIRECTIONS.values())
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
        if tokens[i].isdigit() and tokens[i + 1] in STREET_TYPE_ABBREVIATIONS:
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
    if len(tokens) > start + 1 and tokens[start] in DIRECTION_ABBREVIATIONS:
        start += 1
    # The type must follow at least one word of the name: in "AVENUE O" it is the name.
    last_type = None
    for i in range(start + 1, len(tokens)):
        if tokens[i] in STREET_TYPE_ABBREVIATIONS:
            last_type = i
    if last_type is None:
        return tokens
    end = last_type + 1
    if end < len(tokens) and tokens[end] in DIRECTION_ABBREVIATIONS:
        end += 1  # a post-directional, "MAIN ST NW"
    return tokens[:end]
