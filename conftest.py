"""Shared test set-up. Fixtures with persona names live in civic311/testing.py."""

from __future__ import annotations

import os

import pytest

from civic311.geo.locator import locator

pytest_plugins = ["civic311.testing"]


@pytest.fixture(autouse=True)
def _fresh_locator() -> None:
    # Each test builds its own boundaries; do not let one test's cached areas leak to the next.
    locator.reset()


def pytest_report_header() -> str:
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']} (CI={os.environ.get('CI', '')})"
