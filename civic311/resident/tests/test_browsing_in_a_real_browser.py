"""The browse pages in Chromium: the map shows every matching request (not only the list's page
of 50), the list works without JavaScript, and tiles that fail leave the page whole."""

from __future__ import annotations

from typing import Any

import pytest

from civic311.resident.tests.browser import new_page, screenshots_at_both_sizes
from civic311.resident.tests.conftest import Report

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_map_shows_more_than_the_page_of_the_list(
    browser: Any, live_server: Any, report: Report, settings: Any
) -> None:
    settings.MAP_TILE_URL = f"{live_server.url}/no-tiles/{{z}}/{{x}}/{{y}}.png"
    for n in range(55):
        report(
            "street_light" if n % 3 else "sewer_cave_in",
            where=(41.86 + (n % 11) * 0.005, -87.69 + (n // 11) * 0.015),
        )
    page = new_page(browser, live_server, size="desktop")
    page.goto(f"{live_server.url}/requests/")
    page.wait_for_function(
        "document.querySelectorAll('#browse-map path.leaflet-interactive').length === 55"
    )
    assert page.locator("table.requests tbody tr").count() == 50
    screenshots_at_both_sizes(page, "browse-requests")

    page.get_by_label("Kind of problem").select_option("sewer_cave_in")
    page.get_by_role("button", name="Show").click()
    page.wait_for_function(
        "document.querySelectorAll('#browse-map path.leaflet-interactive').length === 19"
    )
    assert page.locator("table.requests tbody tr").count() == 19

    page.goto(f"{live_server.url}/wards/2/")
    page.locator("#browse-map").wait_for(state="visible")
    screenshots_at_both_sizes(page, "browse-ward")
    page.goto(f"{live_server.url}/areas/")
    screenshots_at_both_sizes(page, "browse-areas")
    assert page.elsewhere == []
    page.context.close()

    plain = new_page(browser, live_server, java_script_enabled=False)
    plain.goto(f"{live_server.url}/requests/?status=all&page=2")
    assert plain.locator("table.requests tbody tr").count() == 5
    assert plain.locator("#browse-map").is_hidden()
    plain.context.close()
