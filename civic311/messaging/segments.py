"""How many SMS segments a text costs, and shortening a text to a number of segments.

A text in the GSM 7-bit alphabet fits 160 characters in one segment, 153 per segment when split
(the rest carries the joining header); one character outside it (an emoji, "—", "ñ" is inside
but "í" is not) sends the whole text as UCS-2: 70, then 67 per segment. Replies are written to
stay in GSM-7 where the language allows, and cut to SMS_MAX_SEGMENTS when they would not.
"""

from __future__ import annotations

# fmt: off
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = frozenset("^{}\\[~]|€\f")  # two septets each
# fmt: on


def is_gsm7(text: str) -> bool:
    return all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text)


def _units(text: str) -> tuple[int, int, int]:
    """(length in units, units in a single segment, units per segment when split)."""
    if is_gsm7(text):
        return sum(2 if c in _GSM_EXTENDED else 1 for c in text), 160, 153
    # UCS-2 counts UTF-16 code units: an emoji is two.
    return len(text.encode("utf-16-le")) // 2, 70, 67


def count(text: str) -> int:
    length, single, multi = _units(text)
    if length <= single:
        return 1
    return -(-length // multi)


def fit(text: str, max_segments: int) -> str:
    """`text`, cut at a word with an ellipsis if it needs more than `max_segments` segments
    ("..." in a GSM-7 text, where "…" would turn the whole text into UCS-2)."""
    if count(text) <= max_segments:
        return text
    ellipsis = "..." if is_gsm7(text) else "…"
    cut = text
    while cut and count(cut + ellipsis) > max_segments:
        # Drop whole words while far over; characters near the end.
        shorter = cut.rsplit(" ", 1)[0] if " " in cut else cut[:-1]
        cut = shorter if len(shorter) < len(cut) else cut[:-1]
    return cut.rstrip(" ,.;:") + ellipsis
