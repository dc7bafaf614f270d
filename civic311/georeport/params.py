"""Reading GeoReport parameters: every problem is collected, an empty parameter is the same as
one not sent, and nothing is guessed (a datetime without an offset is an error)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from civic311.catalog.answers import parse_w3c_datetime
from civic311.geo.cells import MAX_RADIUS_M
from civic311.lib.errors import InvalidInput, Problem
from civic311.service_requests.selectors import RequestFilters

MAX_SPAN = timedelta(days=90)
# Far-off years cannot be shifted by the default windows or converted to UTC for a query.
EARLIEST, LATEST = datetime(1900, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)
_ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


def attribute_answers(data: QueryDict) -> dict[str, list[str]]:
    """`attribute[CODE]=v` and `attribute[CODE][]=v` (repeatable) as CODE -> values."""
    answers: dict[str, list[str]] = {}
    for key in data:
        match = _ATTRIBUTE.match(key)
        if match:
            answers.setdefault(match.group(1), []).extend(data.getlist(key))
    return answers


@dataclass
class Reader:
    params: Mapping[str, str]
    problems: list[Problem] = field(default_factory=list)

    def datetime(self, name: str) -> datetime | None:
        raw = self.params.get(name)
        if raw is None:
            return None
        parsed = parse_w3c_datetime(raw)
        if parsed is None:
            self.problems.append(
                Problem(
                    "datetime.invalid",
                    name,
                    _(
                        "%(name)s must be a W3C datetime with an offset, e.g. "
                        "2026-05-01T08:15:30-05:00."
                    )
                    % {"name": name},
                )
            )
        elif not EARLIEST <= parsed <= LATEST:
            self.problems.append(
                Problem(
                    "datetime.out_of_range",
                    name,
                    _("%(name)s must be between the years 1900 and 2200.") % {"name": name},
                )
            )
            return None
        return parsed

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.params.get(name)
        if raw is None:
            return default
        if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
            self.problems.append(
                Problem(
                    "number.invalid",
                    name,
                    _("%(name)s must be a whole number from %(low)d to %(high)d.")
                    % {"name": name, "low": low, "high": high},
                )
            )
            return default
        return int(raw)

    def number(self, name: str, low: float, high: float) -> float | None:
        raw = self.params.get(name)
        if raw is None:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not low <= value <= high:
            self.problems.append(
                Problem(
                    "number.invalid",
                    name,
                    _("%(name)s must be a number from %(low)s to %(high)s.")
                    % {"name": name, "low": low, "high": high},
                )
            )
            return None
        return value

    def codes(self, name: str) -> tuple[str, ...]:
        raw = self.params.get(name, "")
        return tuple(dict.fromkeys(c.strip() for c in raw.split(",") if c.strip()))

    def flag(self, name: str) -> bool:
        return self.params.get(name, "").lower() in ("true", "1", "yes")


@dataclass(frozen=True)
class ListQuery:
    filters: RequestFilters
    page: int
    page_size: int
    extensions: bool


def list_query(params: Mapping[str, str], *, now: datetime | None = None) -> ListQuery:
    """GET requests: the spec's filters with its defaults (the last 90 days, at most 1000),
    and the extensions (paging, changes since, where, text)."""
    read = Reader(params)
    now = now or timezone.now()
    numbers = read.codes("service_request_id")
    start, end = read.datetime("start_date"), read.datetime("end_date")
    updated_after, updated_before = read.datetime("updated_after"), read.datetime("updated_before")
    statuses = read.codes("status")
    for status in statuses:
        if status not in ("open", "closed"):
            read.problems.append(
                Problem("status.invalid", "status", _("status must be open, closed, or both."))
            )
            break
    if start and end:
        if end < start:
            read.problems.append(
                Problem("date_range.reversed", "end_date", _("end_date is before start_date."))
            )
        elif end - start > MAX_SPAN:
            read.problems.append(
                Problem(
                    "date_range.too_long",
                    "end_date",
                    _("start_date and end_date may be at most 90 days apart."),
                )
            )
    elif start and not end:
        end = start + MAX_SPAN
    elif end and not start:
        start = end - MAX_SPAN
    elif not (updated_after or updated_before):
        # The spec's default window; a client asking for changes since a time gets every change.
        start, end = now - MAX_SPAN, None
    bbox = None
    if "bbox" in params:
        parts = params["bbox"].split(",")
        try:
            bbox_values = tuple(float(p) for p in parts)
        except ValueError:
            bbox_values = ()
        if (
            len(bbox_values) != 4
            or not all(math.isfinite(v) for v in bbox_values)
            or not (-180 <= bbox_values[0] < bbox_values[2] <= 180)
            or not (-90 <= bbox_values[1] < bbox_values[3] <= 90)
        ):
            read.problems.append(
                Problem(
                    "bbox.invalid",
                    "bbox",
                    _("bbox must be minLong,minLat,maxLong,maxLat with min below max."),
                )
            )
        else:
            bbox = (bbox_values[0], bbox_values[1], bbox_values[2], bbox_values[3])
    near = None
    lat, long = read.number("lat", -90, 90), read.number("long", -180, 180)
    radius = read.number("radius", 1, MAX_RADIUS_M)
    if lat is not None and long is not None:
        near = (lat, long, radius or 500.0)
    elif ("lat" in params) != ("long" in params):
        read.problems.append(
            Problem("location.incomplete", "lat", _("Send lat and long together."))
        )
    page = read.integer("page", 1, 1, 1_000_000)
    page_size = read.integer("page_size", settings.API_MAX_PAGE_SIZE, 1, settings.API_MAX_PAGE_SIZE)
    if read.problems:
        raise InvalidInput(read.problems)
    filters = RequestFilters(
        tracking_numbers=numbers,
        service_codes=read.codes("service_code"),
        open311_statuses=statuses,
        requested_from=start,
        requested_to=end,
        updated_after=updated_after,
        updated_before=updated_before,
        bbox=bbox,
        near=near,
        text=params.get("q", "")[:200],
    )
    return ListQuery(filters, page, page_size, read.flag("extensions"))
