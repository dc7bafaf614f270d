"""Shared test set-up. Fixtures with persona names live in civic311/testing.py."""

from __future__ import annotations

import os
from typing import Any

import pytest

from civic311.catalog.cache import catalog
from civic311.geo.locator import locator

pytest_plugins = ["civic311.testing"]


@pytest.fixture(autouse=True)
def _no_api_cache(settings: Any) -> None:
    # Tests read their own writes at once; test_response_cache.py turns the cache back on.
    settings.API_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _static_without_manifest(settings: Any) -> None:
    # Outside DEBUG the settings use the manifest storage, which needs `collectstatic`; in
    # tests {% static %} resolves to plain paths (a clean checkout has never collected).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_locator() -> None:
    # Each test builds its own boundaries; do not let one test's cached areas leak to the next.
    locator.reset()
    catalog.reset()


def pytest_report_header() -> str:
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']} (CI={os.environ.get('CI', '')})"


@pytest.fixture(scope="session", autouse=True)
def _end_leftover_database_sessions(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Live-server threads that served a browser keep their persistent database connection
    while the browser keeps the socket alive; PostgreSQL then refuses to drop the test
    database. End such sessions before the test database is torn down."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
