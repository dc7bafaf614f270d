"""The console in real Chromium (Playwright on /usr/bin/chromium): a supervisor logs in, finds
the "pothole" in the queue, reroutes it to Water Management, and the resident's tracking page
shows the move; Water staff close fifty requests at once and every follower is emailed.
Screenshots of the queue and the request page go to var/screenshots/ at desk and phone sizes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from civic311.choices import NotificationKind, Status, TimelineType
from civic311.notifications.models import Delivery
from civic311.service_requests.actions import Contact
from civic311.service_requests.models import ServiceRequest, TimelineEntry
from civic311.staff.tests.conftest import Report
from civic311.testing import SCREENSHOTS, SIZES, STAFF_PASSWORD, Staff
from civic311.testing.mail import Mailbox, mailbox, run_worker

__all__ = ["mailbox"]

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Any, base: str, user: Any) -> None:
    page.goto(f"{base}/staff/queue/")
    page.wait_for_url("**/staff/login/**")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/staff/queue/")


def test_a_supervisor_reroutes_the_pothole_and_the_resident_sees_the_move(
    browser: Any, live_server: Any, staff: Staff, report: Report, settings: Any
) -> None:
    settings.MAP_TILE_URL = f"{live_server.url}/no-tiles/{{z}}/{{x}}/{{y}}.png"
    host = urlsplit(live_server.url).netloc
    pothole = report("pothole", description="Big hole, the pavement is sinking.")
    report("pothole")  # a neighbour for the map and the queue

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda r: elsewhere.append(r.url) if urlsplit(r.url).netloc != host else None,
    )
    log_in(page, live_server.url, staff.cdot_supervisor)
    assert "Work queue: Transportation" in page.locator("h1").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "staff-queue-desktop.png"), full_page=True)

    page.get_by_role("link", name=pothole.tracking_number).click()
    page.wait_for_url(f"**/staff/requests/{pothole.tracking_number}/")
    assert "Big hole, the pavement is sinking." in page.locator("main").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "staff-request-desktop.png"), full_page=True)
    page.locator("#work-reroute summary").click()
    page.get_by_label("To the service").select_option("sewer_cave_in")
    page.get_by_label("Reason (the resident sees it)").fill(
        "The hole is a caved-in sewer: Water Management repairs it."
    )
    page.get_by_role("button", name="Reroute", exact=True).click()
    page.wait_for_url(f"**/staff/requests/{pothole.tracking_number}/")
    assert "Rerouted." in page.locator(".messages").inner_text()
    facts = page.locator("dl.facts").first.inner_text()
    assert "Water Management" in facts
    timeline = page.locator("ol.timeline").inner_text()
    assert "Rerouted: Transportation / pothole → Water Management / sewer_cave_in" in timeline
    assert "(Carla)" in timeline  # attributed to the supervisor in the staff timeline

    # The resident's tracking page: same number, the move and the reason, nobody's name.
    page.goto(f"{live_server.url}/track/{pothole.tracking_number}")
    assert page.locator("h1").inner_text() == "Sewer Cave-In Inspection"
    history = page.locator("ol.timeline").inner_text()
    assert "Rerouted to Water Management" in history
    assert "The hole is a caved-in sewer: Water Management repairs it." in history
    assert "Carla" not in page.content()
    assert elsewhere == []

    pothole.refresh_from_db()
    assert (pothole.department.code, pothole.service.service_code) == ("water", "sewer_cave_in")

    phone = browser.new_page(viewport=dict(zip(("width", "height"), SIZES["phone"], strict=True)))
    log_in(phone, live_server.url, staff.water_supervisor)
    phone.screenshot(path=str(SCREENSHOTS / "staff-queue-phone.png"), full_page=True)
    # The queue's wide table scrolls inside its box; the page itself never scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.goto(f"{live_server.url}/staff/requests/{pothole.tracking_number}/")
    phone.screenshot(path=str(SCREENSHOTS / "staff-request-phone.png"), full_page=True)


def test_closing_fifty_requests_at_once_writes_fifty_entries_and_emails_every_follower(
    browser: Any, live_server: Any, staff: Staff, report: Report, mailbox: Mailbox
) -> None:
    requests = [
        report(contact=Contact(email=f"resident{n}@example.org", language="en")) for n in range(50)
    ]
    run_worker()  # the "received" emails
    received = len(mailbox.messages)
    assert received == 50

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, staff.water)
    page.get_by_label("Pick every request on this page").check()
    page.get_by_label("Action").select_option("close")
    page.get_by_label("Reason").select_option(Status.CLOSED_FIXED)
    page.get_by_label("Public note").fill("Repaired during the sewer sweep.")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/staff/queue/bulk/")
    assert "50 requests changed." in page.locator("main").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "staff-bulk-close-desktop.png"), full_page=True)

    closed = TimelineEntry.objects.filter(type=TimelineType.CLOSED)
    assert closed.count() == 50
    assert set(closed.values_list("actor_id", flat=True)) == {staff.water.pk}
    assert ServiceRequest.objects.filter(status=Status.CLOSED_FIXED).count() == len(requests)

    run_worker()
    assert Delivery.objects.filter(kind=NotificationKind.CLOSED).count() == 50
    emails = mailbox.messages[received:]
    assert len(emails) == 50
    assert {m["To"] for m in emails} == {f"resident{n}@example.org" for n in range(50)}
