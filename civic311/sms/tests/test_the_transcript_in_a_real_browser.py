"""The conversation on the staff request page, in real Chromium: an operator opens a request
made by text and reads the whole exchange; screenshots at desk and phone sizes go to
var/screenshots/ for people to look at."""

from __future__ import annotations

from typing import Any

import pytest

from civic311.service_requests.models import ServiceRequest
from civic311.sms.tests.texting import Phone
from civic311.testing import SCREENSHOTS, SIZES, STAFF_PASSWORD, Staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_operator_reads_the_conversation_behind_a_request(
    browser: Any, live_server: Any, staff: Staff, rosa: Phone, settings: Any
) -> None:
    settings.MAP_TILE_URL = f"{live_server.url}/no-tiles/{{z}}/{{x}}/{{y}}.png"
    rosa.says("There is a big pothole at 1200 W Madison")
    rosa.says("YES")
    rosa.says("2")
    rosa.says("about 20 cm")
    rosa.says("Cars swerve into the bike lane to avoid it")
    request = ServiceRequest.objects.get()

    for size, (width, height) in SIZES.items():
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(f"{live_server.url}/staff/login/")
        page.get_by_label("Username").fill(staff.operator.username)
        page.get_by_label("Password").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server.url}/staff/requests/{request.tracking_number}/")
        section = page.locator("section.sms-transcript")
        section.scroll_into_view_if_needed()
        text = section.inner_text()
        assert "With +13125550100" in text
        assert "There is a big pothole at 1200 W Madison" in text
        assert f"Your tracking number is {request.tracking_number}" in text
        # The resident's messages sit on the left, the city's on the right.
        first_in = page.locator(".sms-in").first.bounding_box()
        first_out = page.locator(".sms-out").first.bounding_box()
        assert first_in is not None and first_out is not None
        assert first_in["x"] < first_out["x"]
        section.screenshot(path=str(SCREENSHOTS / f"sms-transcript-{size}.png"))
        page.screenshot(path=str(SCREENSHOTS / f"sms-staff-request-{size}.png"), full_page=True)
        page.close()
