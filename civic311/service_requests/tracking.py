"""Tracking numbers: `26-00012345`, short, year-prefixed, read over the phone and typed into SMS.

Numbers are allocated from a per-year counter row that is incremented inside the submission's
transaction: the row stays locked until commit (PostgreSQL) or the whole database is (SQLite,
BEGIN IMMEDIATE), so no two submissions can share a number. A rolled-back submission leaves no
gap either, because its increment rolls back with it.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from civic311.service_requests.models import TrackingCounter

DIGITS = 8
_PATTERN = re.compile(r"^(\d{2})-(\d{8})$")


def tracking_url(tracking_number: str) -> str:
    """The request's public tracking page, absolute: printed on paper, read out, texted and
    emailed, so its shape (/track/<number>) is a promise kept whatever the URLconf does."""
    return f"{settings.SITE_URL}/track/{tracking_number}"


def format_number(year: int, serial: int) -> str:
    return f"{year % 100:02d}-{serial:0{DIGITS}d}"


def city_year(moment: datetime) -> int:
    """The year as the city sees it: a request at 23:30 on 31 December belongs to that year."""
    return moment.astimezone(ZoneInfo(settings.CITY_TIME_ZONE)).year


def allocate(moment: datetime) -> str:
    """The next tracking number. Must run inside the transaction that stores the request."""
    year = city_year(moment)
    serial = _increment(year)
    if serial is None:
        TrackingCounter.objects.bulk_create([TrackingCounter(year=year)], ignore_conflicts=True)
        serial = _increment(year)
    assert serial is not None
    return format_number(year, serial)


def _increment(year: int) -> int | None:
    # One statement (UPDATE … RETURNING, on SQLite 3.35+ and PostgreSQL) rather than an update
    # and a read: it runs inside the write transaction, where every millisecond is serialised.
    table = connection.ops.quote_name(TrackingCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {table} SET "last" = "last" + 1 WHERE "year" = %s RETURNING "last"',  # noqa: S608
            [year],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def is_canonical(text: str) -> bool:
    return bool(_PATTERN.match(text))


def candidates(text: str, *, today: datetime) -> list[str]:
    """Tracking numbers a person may have meant by what they typed: "26 12345", "2600012345",
    "12345" (this year first, then last year), "#26-00012345". Empty if it cannot be one."""
    digits = re.sub(r"[^0-9-]", "", text.replace(" ", "-").replace(".", "-"))
    parts = [p for p in digits.split("-") if p]
    year = city_year(today) % 100
    if len(parts) == 2 and len(parts[0]) in (2, 4) and 1 <= len(parts[1]) <= DIGITS:
        return [format_number(int(parts[0]) % 100, int(parts[1]))]
    if len(parts) != 1:
        return []
    number = parts[0]
    if len(number) == 2 + DIGITS:
        return [format_number(int(number[:2]), int(number[2:]))]
    if 1 <= len(number) <= DIGITS and int(number) > 0:
        return [format_number(year, int(number)), format_number((year - 1) % 100, int(number))]
    return []
