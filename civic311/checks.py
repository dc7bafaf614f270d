"""System checks for invariants a deployment must not break (ids are stable: docs cite them)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import django
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from civic311.db.sqlite.base import TESTED_DJANGO


@register()
def check_time_zone(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if not settings.USE_TZ or settings.TIME_ZONE != "UTC":
        errors.append(
            Error(
                "Civic311 stores and computes every datetime in UTC.",
                hint="Keep TIME_ZONE='UTC' and USE_TZ=True; set CITY_TIME_ZONE for display.",
                id="civic311.E001",
            )
        )
    try:
        ZoneInfo(settings.CITY_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(
            Error(
                f"CITY_TIME_ZONE={settings.CITY_TIME_ZONE!r} is not an IANA time zone.",
                hint="Use a name such as America/Chicago.",
                id="civic311.E003",
            )
        )
    return errors


@register(deploy=False)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    key = settings.SECRET_KEY
    if settings.DEBUG:
        return []
    if key == settings.INSECURE_DEV_SECRET_KEY or len(key) < 32 or len(set(key)) < 5:
        return [
            Error(
                "SECRET_KEY is the development key or too weak, and DEBUG is off.",
                hint="Set SECRET_KEY to 50 random characters, e.g. from "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
                id="civic311.E002",
            )
        ]
    return []


@register(Tags.database)
def check_sqlite_writer_queue(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return writer_queue_problems(settings.DATABASES, django.VERSION)


def writer_queue_problems(
    databases: dict[str, dict[str, Any]], version: tuple[Any, ...]
) -> list[CheckMessage]:
    """The SQLite backend with the writer queue stands on private Django methods: refuse to run
    it on a Django release it was not tested against (civic311/db/sqlite/base.py)."""
    uses_it = any(db.get("ENGINE") == "civic311.db.sqlite" for db in databases.values())
    if not uses_it or tuple(version[:2]) in TESTED_DJANGO:
        return []
    tested = ", ".join(".".join(map(str, v)) for v in TESTED_DJANGO)
    return [
        Error(
            f"The SQLite writer queue (civic311.db.sqlite) was tested with Django {tested}, "
            f"not {'.'.join(map(str, version[:3]))}.",
            hint="Run civic311/tests/test_sqlite_writers_queue.py and extend TESTED_DJANGO, or "
            "use ENGINE django.db.backends.sqlite3.",
            id="civic311.E004",
        )
    ]
