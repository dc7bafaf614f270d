"""axe-core (bundled by the axe-playwright-python package, no CDN) finds no serious or critical
WCAG 2.1 A/AA violation on any public page, in English and in Spanish, including the report
form showing errors and the nearby offer. Each page is screenshotted at both sizes."""

from __future__ import annotations

from typing import Any

import pytest

from civic311.resident.tests.browser import (
    new_page,
    screenshots_at_both_sizes,
    serious_violations,
)
from civic311.resident.tests.conftest import MADISON_1200, Report
from civic311.service_requests.models import ServiceRequest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city_with_requests(
    services: Any,
    addresses: None,
    report: Report,
    spanish_catalog: None,
    settings: Any,
    live_server: Any,
    media_root: Any,
) -> ServiceRequest:
    settings.MAP_TILE_URL = f"{live_server.url}/no-tiles/{{z}}/{{x}}/{{y}}.png"
    settings.MAP_CENTER = MADISON_1200
    report("sewer_cave_in", where=(41.90, -87.62))
    return report("pothole", where=(41.88200, -87.65700), description="Deep <b>pothole</b>")


def check(page: Any, url: str, name: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == [], url
    screenshots_at_both_sizes(page, name)


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_public_page(
    browser: Any, live_server: Any, city_with_requests: ServiceRequest, language: str
) -> None:
    page = new_page(
        browser, live_server, locale=language, extra_http_headers={"Accept-Language": language}
    )
    base = live_server.url
    number = city_with_requests.tracking_number
    pages = {
        "home": "/",
        "report-choose": "/report/",
        "report-form-empty": "/report/pothole/",
        "browse-requests": "/requests/?status=all",
        "browse-ward": "/wards/1/",
        "browse-community-area": "/community-areas/28/",
        "browse-areas-index": "/areas/",
        "track": f"/track/{number}",
        "track-lookup": "/track/",
        "track-not-found": "/track/?number=26-9999999",
    }
    for name, path in pages.items():
        check(page, base + path, f"a11y-{name}-{language}")
    assert page.locator("html").get_attribute("lang") == language

    # The form after a mistake, then with the same problem nearby, then the confirmation.
    page.goto(f"{base}/report/pothole/")
    page.locator("#id_address").fill("1200 W Madison St")
    page.locator("#q-depth_cm").fill("x")
    page.locator("button.primary").click()
    page.locator("#error-summary").wait_for()
    assert serious_violations(page) == []
    screenshots_at_both_sizes(page, f"a11y-report-errors-{language}")
    page.locator("#q-location-1").check()
    page.locator("#q-depth_cm").fill("4")
    page.locator("button.primary").click()
    page.locator("#nearby").wait_for()
    assert serious_violations(page) == []
    page.locator("button.primary").click()
    page.wait_for_url("**/report/sent/**")
    assert serious_violations(page) == []
    screenshots_at_both_sizes(page, f"a11y-report-sent-{language}")
    assert page.elsewhere == []
    page.context.close()
