"""Helpers for the resident pages' real-browser tests: a page that may load nothing from another
host, screenshots at both sizes, and the axe-core accessibility check."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from civic311.testing import SCREENSHOTS, SIZES

SERIOUS = ("serious", "critical")


def new_page(browser: Any, live_server: Any, size: str = "phone", **options: Any) -> Any:
    """A page at a phone's (or desktop's) size that records any request to another host
    (page.elsewhere must stay empty: no CDN, and the test's tiles come from the live server)."""
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    host = urlsplit(live_server.url).netloc
    page.elsewhere = []

    def record(request: Any) -> None:
        url = urlsplit(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != host:
            page.elsewhere.append(request.url)

    page.on("request", record)
    return page


def screenshot(page: Any, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def screenshots_at_both_sizes(page: Any, name: str) -> None:
    """The page as it is now, at a phone's and a desktop's size."""
    original = page.viewport_size
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"{name}-{size}")
    page.set_viewport_size(original)


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page (WCAG 2.1 A and AA rules)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in SERIOUS:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found
