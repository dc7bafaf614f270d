"""A service question asked by text, and the answer typed back, read the way a person means it.

List questions are answered by number ("2", "1,3", "1 y 3") or by the choice's name; numbers
may carry a unit ("about 10 cm"); dates and times in everyday forms ("now", "today 3pm",
"yesterday 8:30", "11/30", "11/30 7am", "ayer 15:00", "30/11" in Spanish) as well as ISO 8601.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from civic311.catalog.answers import MAX_STRING, MAX_TEXT, Answer, parse_w3c_datetime
from civic311.catalog.models import ServiceAttribute
from civic311.catalog.translation import translated
from civic311.choices import Datatype
from civic311.sms.keywords import fold


def question_text(attribute: ServiceAttribute, number: int, total: int) -> str:
    text = f"({number}/{total}) {translated(attribute, 'description')}"
    if attribute.has_values:
        choices = ", ".join(
            f"{i} {translated(v, 'name')}" for i, v in enumerate(attribute.values.all(), 1)
        )
        text += " " + choices + "."
        if attribute.datatype == Datatype.MULTIVALUELIST:
            text += " " + _("Several? Send the numbers, like 1,3.")
    elif attribute.datatype == Datatype.DATETIME:
        text += " " + _("For example: today 3pm, or 11/30 8am.")
    elif attribute.datatype == Datatype.NUMBER:
        text += " " + _("Send a number.")
    if not attribute.required:
        text += " " + _("(Optional: reply SKIP.)")
    return text


def _choice(attribute: ServiceAttribute, token: str) -> str | None:
    values = list(attribute.values.all())
    token = token.strip()
    if token.isdigit():
        index = int(token)
        return values[index - 1].key if 1 <= index <= len(values) else None
    folded = fold(token)
    for value in values:
        if folded in (fold(value.key), fold(value.name), fold(translated(value, "name"))):
            return value.key
    return None


_SPLIT = re.compile(r"\s*(?:,|;|/|&|\+|\band\b|\by\b|\s)\s*", re.IGNORECASE)
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def parse(attribute: ServiceAttribute, text: str, *, language: str, now: datetime) -> Answer | None:
    """The answer as every channel sends it (catalog.answers checks it), or None if it cannot
    be read."""
    text = text.strip()
    if not text:
        return None
    datatype = attribute.datatype
    if datatype == Datatype.SINGLEVALUELIST:
        return _choice(attribute, text)
    if datatype == Datatype.MULTIVALUELIST:
        whole = _choice(attribute, text)
        if whole is not None:
            return [whole]
        keys = [_choice(attribute, part) for part in _SPLIT.split(text) if part]
        if not keys or any(k is None for k in keys):
            return None
        return list(dict.fromkeys(k for k in keys if k is not None))
    if datatype == Datatype.NUMBER:
        match = _NUMBER.search(text)
        return match.group(0).replace(",", ".") if match else None
    if datatype == Datatype.DATETIME:
        moment = parse_when(text, language=language, now=now)
        return moment.isoformat() if moment else None
    limit = MAX_STRING if datatype == Datatype.STRING else MAX_TEXT
    return text[:limit]


_TIME = re.compile(
    r"(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?\s*(?P<ampm>a\.?\s?m\.?|p\.?\s?m\.?)?$", re.IGNORECASE
)
_DATE = re.compile(r"(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})(?:[/.-](?P<y>\d{2,4}))?$")
_TODAY = {"TODAY", "HOY", "TONIGHT", "ESTA NOCHE", "THIS MORNING", "ESTA MANANA"}
_YESTERDAY = {"YESTERDAY", "AYER", "LAST NIGHT", "ANOCHE"}
_NOW = {"NOW", "AHORA", "JUST NOW", "RIGHT NOW", "AHORITA", "ORITA"}


def _clock(text: str) -> time | None:
    match = _TIME.fullmatch(text.strip())
    if match is None:
        return None
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    ampm = (match.group("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    elif match.group("m") is None:
        return None  # a bare "3" is not a time
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _day(text: str, *, language: str, today: date) -> date | None:
    folded = fold(text.strip())
    if folded in _TODAY:
        return today
    if folded in _YESTERDAY:
        return today - timedelta(days=1)
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    a, b = int(match.group("a")), int(match.group("b"))
    # Month first in English, day first in Spanish; a number above 12 settles it either way.
    month, day = (b, a) if language == "es" else (a, b)
    if month > 12 and day <= 12:
        month, day = day, month
    year_text = match.group("y")
    year = (
        today.year if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
    )
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    if year_text is None and found > today:
        found = found.replace(year=year - 1)  # "12/28" typed in January
    return found


def parse_when(text: str, *, language: str, now: datetime) -> datetime | None:
    """A moment in the city's time zone from what a resident typed; None if it is not one."""
    iso = parse_w3c_datetime(text)
    if iso is not None:
        return iso
    zone = ZoneInfo(settings.CITY_TIME_ZONE)
    local_now = now.astimezone(zone)
    cleaned = " ".join(text.replace(",", " ").replace(" at ", " ").replace(" a las ", " ").split())
    if fold(cleaned) in _NOW:
        return local_now.replace(second=0, microsecond=0)
    words = cleaned.split(" ")
    # Split into a day part and a time part: "today 3pm", "11/30 8:15 am", "3pm yesterday".
    for cut in range(len(words) + 1):
        for day_words, time_words in ((words[:cut], words[cut:]), (words[cut:], words[:cut])):
            day_text, time_text = " ".join(day_words), " ".join(time_words)
            day = _day(day_text, language=language, today=local_now.date()) if day_text else None
            clock = _clock(time_text) if time_text else None
            if (day_text and day is None) or (time_text and clock is None):
                continue
            if day is None and clock is None:
                continue
            moment = datetime.combine(day or local_now.date(), clock or time(12, 0), tzinfo=zone)
            if day is None and moment > local_now:
                moment -= timedelta(days=1)  # "3pm" typed at 10am means yesterday's
            return moment
    return None


def problem_text(attribute: ServiceAttribute) -> str:
    if attribute.has_values:
        return _("Please reply with one of the numbers.")
    if attribute.datatype == Datatype.NUMBER:
        return _("Please reply with a number.")
    if attribute.datatype == Datatype.DATETIME:
        return _("Please reply with a date or time, like today 3pm or 11/30 8am.")
    return _("Please reply with a short answer.")
