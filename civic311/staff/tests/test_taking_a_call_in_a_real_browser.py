"""An operator takes a call in real Chromium: finds nothing open at the caller's address, and
takes a new request by keyboard in fewer than ten interactions (counted), then reads the
tracking number back. Screenshots of each step go to var/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from civic311.choices import Channel
from civic311.service_requests.models import ReporterContact, ServiceRequest
from civic311.staff.desk import spoken
from civic311.testing import SCREENSHOTS, SIZES, Addresses, Services, Staff

MAX_INTERACTIONS = 9  # "in under 10"


class Counted:
    """The operator's hands: every fill, key press, choice or click counts as one."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.count = 0

    def fill(self, selector: str, text: str) -> None:
        self.count += 1
        self.page.fill(selector, text)

    def press(self, key: str) -> None:
        self.count += 1
        self.page.keyboard.press(key)

    def choose(self, selector: str, label: str) -> None:
        self.count += 1
        self.page.select_option(selector, label=label)


def logged_in_page(browser: Any, live_server: Any, user: Any, size: tuple[int, int]) -> Any:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context.new_page()


@pytest.mark.django_db(transaction=True)
def test_an_operator_takes_a_call_in_under_ten_interactions(
    browser: Any, live_server: Any, staff: Staff, services: Services, addresses: Addresses
) -> None:
    # One call at each screen size, each from another street.
    for (name, size), address in zip(
        SIZES.items(), [addresses.ward1, addresses.ward2], strict=True
    ):
        page = logged_in_page(browser, live_server, staff.operator, size)
        page.goto(f"{live_server.url}/staff/desk/")
        hands = Counted(page)

        # The caller gives their address: nothing is open there.
        hands.fill("#q", address)
        hands.press("Enter")
        page.wait_for_url("**/staff/desk/?q=*")
        assert "Nothing found for" in page.locator("main").inner_text()
        page.screenshot(path=str(SCREENSHOTS / f"desk-nothing-found-{name}.png"), full_page=True)

        # A new request: the service, then its questions (no duplicate of it nearby either).
        hands.press("n")
        page.wait_for_selector("#service")
        hands.choose("#service", "Pothole in Street")
        page.focus("#service")  # where it is after choosing with the keyboard (not counted)
        hands.press("Enter")
        page.wait_for_selector("form.intake [name='attribute[location]']")
        assert "No open Pothole in Street request nearby" in page.locator("main").inner_text()
        assert page.input_value("#id_address") == address
        hands.choose("[name='attribute[location]']", "In the street")
        hands.fill("#id_first_name", "Rosa")
        hands.fill("#id_phone", "312 555 0100")
        page.screenshot(path=str(SCREENSHOTS / f"desk-new-request-{name}.png"), full_page=True)
        hands.press("Enter")
        page.wait_for_url("**/staff/desk/taken/*/")

        sr = ServiceRequest.objects.order_by("-id").first()
        assert sr is not None
        assert hands.count <= MAX_INTERACTIONS, hands.count
        assert page.locator(".taken .number").inner_text() == sr.tracking_number
        assert page.locator(".taken .spoken").inner_text() == spoken(sr.tracking_number)
        assert sr.channel == Channel.PHONE and sr.service.service_code == "pothole"
        assert sr.answers == {"location": "street"}
        assert ReporterContact.objects.get(request=sr).phone == "3125550100"
        page.screenshot(path=str(SCREENSHOTS / f"desk-taken-{name}.png"), full_page=True)

        # The next call starts at the search box, and finds this one by its number.
        page.fill("#q", sr.tracking_number)
        page.keyboard.press("Enter")
        page.wait_for_url("**/staff/desk/?q=*")
        assert "We have received this request" in page.locator("main").inner_text()
        page.screenshot(path=str(SCREENSHOTS / f"desk-found-{name}.png"), full_page=True)
        page.context.close()


@pytest.mark.django_db(transaction=True)
def test_a_ward_office_reads_its_ward_and_downloads_the_csv(
    browser: Any, live_server: Any, staff: Staff, services: Services, addresses: Addresses
) -> None:
    from civic311.service_requests.actions import Actor, submit_request

    for address, service, answers in [
        (addresses.ward1, "street_light", {}),
        (addresses.ward1_next_door, "graffiti", {"surface": ["brick"]}),
        (addresses.ward2, "street_light", {}),
    ]:
        submit_request(
            service_code=service,
            channel=Channel.WEB,
            actor=Actor.resident(),
            address=address,
            answers=answers,
        )
    for name, size in SIZES.items():
        page = logged_in_page(browser, live_server, staff.ward1_office, size)
        page.goto(f"{live_server.url}/staff/ward/")
        page.wait_for_url("**/staff/ward/1/")
        rows = page.locator("table.list tbody tr")
        assert rows.count() == 2
        assert "600 N State St" not in page.locator("table.list").inner_text()
        page.screenshot(path=str(SCREENSHOTS / f"ward-{name}.png"), full_page=True)
        with page.expect_download() as download:
            page.get_by_text("Export CSV").click()
        lines = Path(download.value.path()).read_text().splitlines()
        assert lines[0].startswith("tracking_number,") and len(lines) == 3
        page.context.close()
