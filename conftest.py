"""Shared test set-up. Fixtures with persona names live in civic311/testing.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import override_settings

from civic311.catalog.cache import catalog
from civic311.geo.locator import locator

pytest_plugins = ["civic311.testing", "civic311.testing.servers"]


@pytest.fixture(autouse=True)
def _no_api_cache(settings: Any) -> None:
    # Tests read their own writes at once; test_response_cache.py turns the cache back on.
    settings.API_CACHE_SECONDS = 0


@pytest.fixture(scope="session", autouse=True)
def _rate_limits_of_this_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Rate-limit counters are files that every process shares (settings.CACHES); a test run
    keeps its own, so two runs on one machine, or `make run` beside them, never count each
    other's hits. Tests of the Redis store configure it themselves."""
    directory = tmp_path_factory.mktemp("ratelimit")
    limits = {"BACKEND": "diskcache.DjangoCache", "LOCATION": str(directory)}
    with override_settings(CACHES={**django_settings.CACHES, "ratelimit": limits}):
        yield


@pytest.fixture(autouse=True)
def _no_hits_counted_yet(_rate_limits_of_this_run: None) -> None:
    caches["ratelimit"].clear()


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
