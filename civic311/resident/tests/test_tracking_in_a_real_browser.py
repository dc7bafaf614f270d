"""The tracking page in real Chromium (Playwright on the system's /usr/bin/chromium): looked up by
a sloppily typed number, it shows the timeline and the estimate, holds no personal data, loads
nothing from another host, and is screenshotted at phone and desktop widths (var/screenshots/)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from civic311.choices import Status
from civic311.lib import clock
from civic311.resident.tests.conftest import STREETS, WATER, Report
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.testing import SCREENSHOTS, SIZES

DASH, APOSTROPHE = "\u2013", "\u2019"  # the page's typography
PERSONAL = ("Marisol", "Okonkwo-Reyes", "marisol.okr@example.org", "555-0142", "3125550142")


@pytest.fixture
def story(report: Report) -> ServiceRequest:
    """A reported pothole with a history, and ten similar ones fixed recently nearby."""
    now = timezone.now()
    for n, days in enumerate([2, 3, 3, 4, 4, 5, 5, 6, 7, 8]):
        closed_at = now - timedelta(days=3 + n)
        sr = report(at=closed_at - timedelta(days=days))
        with clock.at(closed_at):
            actions.close(request=sr, status=Status.CLOSED_FIXED, actor=WATER)
    sr = report(
        at=now - timedelta(days=2),
        address="1200 W Madison St",
        contact=actions.Contact(
            first_name="Marisol",
            last_name="Okonkwo-Reyes",
            email="marisol.okr@example.org",
            phone="(312) 555-0142",
        ),
    )
    with clock.at(now - timedelta(days=1, hours=20)):
        actions.change_status(request=sr, status=Status.ACKNOWLEDGED, actor=WATER)
    with clock.at(now - timedelta(days=1)):
        actions.change_status(
            request=sr, status=Status.IN_PROGRESS, actor=WATER, note="Crew dispatched."
        )
    actions.add_note(request=sr, note="Resident called twice.", actor=STREETS, public=False)
    return sr


@pytest.mark.django_db(transaction=True)
def test_a_resident_finds_their_request_and_reads_where_it_stands(
    browser: Any, live_server: Any, story: ServiceRequest, settings: Any
) -> None:
    # Tiles that fail: the page must stay whole, and nothing may come from another host.
    settings.MAP_TILE_URL = f"{live_server.url}/no-tiles/{{z}}/{{x}}/{{y}}.png"
    host = urlsplit(live_server.url).netloc
    year, serial = story.tracking_number.split("-")
    sloppy = f" {year} {int(serial)} "

    for name, (width, height) in SIZES.items():
        page = browser.new_page(viewport={"width": width, "height": height})
        elsewhere: list[str] = []
        page.on(
            "request",
            lambda request, seen=elsewhere: (
                seen.append(request.url) if urlsplit(request.url).netloc != host else None
            ),
        )
        page.goto(f"{live_server.url}/")
        page.get_by_label("Tracking number").fill(sloppy)
        page.get_by_role("button", name="Find it").click()
        page.wait_for_url(f"**/track/{story.tracking_number}")

        assert page.locator("h1").inner_text() == "Sewer Cave-In Inspection"
        timeline = page.locator("ol.timeline").inner_text()
        assert "Received" in timeline
        assert "Acknowledged" in timeline
        assert "Work started: Crew dispatched." in timeline
        assert "Resident called twice" not in timeline
        estimate = page.locator(".estimate").inner_text()
        assert f"Usually done in 3{DASH}6 days" in estimate
        assert "based on 10 similar requests in Near West Side closed recently" in estimate
        assert f"The city{APOSTROPHE}s target: by" in estimate
        page.wait_for_selector("#map.leaflet-container path.leaflet-interactive")  # the point
        html = page.content()
        for secret in PERSONAL:
            assert secret not in html, secret
        page.screenshot(path=str(SCREENSHOTS / f"track-{name}.png"), full_page=True)
        assert elsewhere == [], elsewhere
        page.close()

    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/track/?number=26-9999999")
    assert "We could not find request “26-9999999”." in page.locator("main").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "track-not-found-phone.png"), full_page=True)
    page.close()
