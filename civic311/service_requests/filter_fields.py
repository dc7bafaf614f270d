"""How the list filters read what people and apps send (service_requests/filters.py): form
fields that turn text into values or an error with a stable code.

Messages name the parameter through `%(name)s`, filled in by RequestFilters.problems() with the
parameter's name in the interface that offers it (`start_date` in the API, `since` on a page).
Every field may take a `fallback`: a page that prefers showing its default to refusing a hand-
edited link reads a bad value as the fallback instead of reporting it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civic311.catalog.answers import parse_w3c_datetime
from civic311.geo.cells import MAX_RADIUS_M
from civic311.lib.errors import Problem

# Far-off years cannot be shifted by a default window or converted to UTC for a query.
EARLIEST, LATEST = datetime(1900, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)
MAX_TEXT = 200
DEFAULT_RADIUS_M = 500.0


class Values(forms.Widget):
    """Every value of a parameter, repeated (`status=a&status=b`) or comma-separated
    (`status=a,b`, Open311's way), stripped, empty ones left out."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [
            part.strip()
            for value in raw
            if isinstance(value, str)
            for part in value.split(",")
            if part.strip()
        ]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data


class Several(Values):
    """The named parameters together, as a list (lat, long, radius: one place)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__()
        self.names = names

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(part) or "").strip() for part in self.names]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(part in data for part in self.names)


class Lenient(forms.Field):
    """A field whose bad value may read as its `fallback` (see the module's docstring)."""

    def __init__(self, *args: Any, fallback: Any = None, **kwargs: Any) -> None:
        self.fallback = fallback
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        try:
            return super().clean(value)
        except ValidationError:
            if self.fallback is None:
                raise
            return super().clean(self.fallback)


class Choice(Lenient, forms.ChoiceField):
    pass


def invalid(code: str, message: Any, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def problems(name: str, error: ValidationError) -> list[Problem]:
    """The problems a field reported about parameter `name`, each naming its parameter."""
    found = []
    for one in error.error_list:
        params = {"name": name, **(one.params or {})}
        code = one.code or "invalid"
        found.append(
            Problem(
                code if "." in code else f"{params['name']}.{code}",
                params["name"],
                str(one.message) % params,
            )
        )
    return found


class Codes(Lenient):
    """Codes (services, tracking numbers), once each, in the order sent."""

    widget = Values

    def __init__(self, *args: Any, known: Callable[[str], bool] | None = None, **kw: Any) -> None:
        self.known = known  # when given, a code it does not know is an error
        super().__init__(*args, **kw)

    def to_python(self, value: Any) -> tuple[str, ...]:
        codes = tuple(dict.fromkeys(value or ()))
        if self.known is not None:
            for code in codes:
                if not self.known(code):
                    raise invalid("service_code.unknown", _("There is no such service."))
        return codes


class Open311Statuses(Lenient):
    """open, closed, or both (`all`, or both named): the side to filter on, or "" for none."""

    widget = Values

    def to_python(self, value: Any) -> str:
        sides = set(value or ())
        if sides - {"open", "closed", "all"}:
            raise invalid("status.invalid", _("status must be open, closed, or both."))
        return next(iter(sides)) if len(sides) == 1 and "all" not in sides else ""


class Moment(Lenient):
    """A W3C datetime with an offset (Open311's format); nothing is guessed."""

    def to_python(self, value: Any) -> datetime | None:
        if value in (None, ""):
            return None
        parsed = parse_w3c_datetime(str(value))
        if parsed is None:
            raise invalid(
                "datetime.invalid",
                _(
                    "%(name)s must be a W3C datetime with an offset, e.g. "
                    "2026-05-01T08:15:30-05:00."
                ),
            )
        if not EARLIEST <= parsed <= LATEST:
            raise invalid(
                "datetime.out_of_range", _("%(name)s must be between the years 1900 and 2200.")
            )
        return parsed


class Day(Lenient):
    """A date as people type it on a page (2026-05-01)."""

    def to_python(self, value: Any) -> date | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise invalid("date.invalid", _("Give a date like 2026-05-01.")) from None


def _number(name: str, raw: str, low: float, high: float) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high:
        raise invalid(
            "number.invalid",
            _("%(name)s must be a number from %(low)s to %(high)s."),
            name=name,
            low=low,
            high=high,
        )
    return value


class Box(Lenient):
    """minLong,minLat,maxLong,maxLat, min below max."""

    widget = Values

    def to_python(self, value: Any) -> tuple[float, float, float, float] | None:
        if not value:
            return None
        try:
            numbers = tuple(float(part) for part in value)
        except ValueError:
            numbers = ()
        if (
            len(numbers) != 4
            or not all(math.isfinite(n) for n in numbers)
            or not (-180 <= numbers[0] < numbers[2] <= 180)
            or not (-90 <= numbers[1] < numbers[3] <= 90)
        ):
            raise invalid(
                "bbox.invalid", _("bbox must be minLong,minLat,maxLong,maxLat with min below max.")
            )
        return (numbers[0], numbers[1], numbers[2], numbers[3])


class Place(Lenient):
    """lat, long and radius in metres (500 when not sent): every problem of the three."""

    def __init__(self, *args: Any, names: tuple[str, str, str], **kwargs: Any) -> None:
        self.names = names
        kwargs.setdefault("widget", Several(names))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> tuple[float, float, float] | None:
        lat_raw, long_raw, radius_raw = value or ("", "", "")
        lat_name, long_name, radius_name = self.names
        errors, numbers = [], []
        for name, raw, low, high in (
            (lat_name, lat_raw, -90, 90),
            (long_name, long_raw, -180, 180),
            (radius_name, radius_raw, 1, MAX_RADIUS_M),
        ):
            try:
                numbers.append(_number(name, raw, low, high) if raw else None)
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        lat, long, radius = numbers
        if lat is None and long is None:
            return None
        if lat is None or long is None:
            raise invalid("location.incomplete", _("Send lat and long together."), name=lat_name)
        return (lat, long, radius or DEFAULT_RADIUS_M)


class Text(Lenient):
    """Text, stripped, cut at `limit` characters."""

    def __init__(self, *args: Any, limit: int = MAX_TEXT, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        return str(value or "").strip()[: self.limit]


class WholeNumber(Lenient):
    def __init__(self, *args: Any, low: int, high: int, **kwargs: Any) -> None:
        self.low, self.high = low, high
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit()) or not self.low <= int(text) <= self.high:
            raise invalid(
                "number.invalid",
                _("%(name)s must be a whole number from %(low)d to %(high)d."),
                low=self.low,
                high=self.high,
            )
        return int(text)


class Flag(Lenient):
    def to_python(self, value: Any) -> bool:
        return str(value or "").strip().lower() in ("true", "1", "yes")
