"""Which language a free text is in: the first message of a report, before anyone said
ESPAÑOL or ENGLISH. Words are compared folded (upper case, no accents), plurals trimmed."""

from __future__ import annotations

import re

from civic311.sms.keywords import fold

# Small Spanish words: they say the language, and never which service.
SPANISH_SMALL_WORDS = frozenset(
    ["EN", "EL", "LA", "LOS", "LAS", "UN", "UNA", "DEL", "HAY", "CALLE", "CERCA"]
)
_SPANISH_HINTS = SPANISH_SMALL_WORDS | {"ESQUINA", "FRENTE", "HOLA"}
_ENGLISH_HINTS = frozenset(
    ["AT", "THE", "ON", "IN", "THERE", "IS", "A", "AN", "NEAR", "CORNER", "HI", "HELLO"]
)


def tokens(text: str) -> list[str]:
    """The words of a text, folded, a plural's S trimmed ("POTHOLES" is "POTHOLE")."""
    words = re.findall(r"[A-Z0-9]+", fold(text))
    return [w[:-1] if len(w) > 3 and w.endswith("S") and not w.endswith("SS") else w for w in words]


def guess_language(text: str) -> str:
    """ "es" or "en" when the words of a free text say so; "" when they do not."""
    words = set(tokens(text))
    spanish, english = len(words & _SPANISH_HINTS), len(words & _ENGLISH_HINTS)
    if spanish > english:
        return "es"
    if english > spanish:
        return "en"
    return ""
