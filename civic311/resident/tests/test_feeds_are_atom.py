"""Atom feeds per request and per ward: valid Atom, public entries only, links to the pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from civic311.choices import Status
from civic311.resident.tests.conftest import STREETS, Report
from civic311.service_requests import actions
from civic311.testing import Places

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(client: Client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    return root


def entries(root: ET.Element) -> list[tuple[str, str]]:
    found = []
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        link = entry.find(f"{ATOM}link")
        assert link is not None
        found.append((entry.findtext(f"{ATOM}title") or "", link.get("href") or ""))
    return found


def test_a_requests_feed_lists_its_public_timeline_newest_first(
    client: Client, report: Report
) -> None:
    sr = report("pothole")
    actions.add_note(request=sr, note="Internal only.", actor=STREETS, public=False)
    actions.close(request=sr, status=Status.CLOSED_FIXED, actor=STREETS, note="Filled.")

    root = parse(client, f"/track/{sr.tracking_number}/feed.atom")

    assert root.findtext(f"{ATOM}title") == f"311 request {sr.tracking_number}: Pothole in Street"
    titles = [title for title, _link in entries(root)]
    assert titles == ["Closed: completed — Filled.", "Received"]
    for _title, link in entries(root):
        assert link.startswith(f"http://testserver/track/{sr.tracking_number}#entry-")


def test_a_wards_feed_lists_recent_entries_of_its_requests_without_test_ones(
    client: Client, report: Report, places: Places
) -> None:
    here = report("pothole")
    report("sewer_cave_in", is_test=True)
    report("sewer_cave_in", where=places.ward2_near_north)  # ward 2

    root = parse(client, "/wards/1/feed.atom")

    assert entries(root) == [
        (
            f"{here.tracking_number} · Pothole in Street: Received",
            f"http://testserver/track/{here.tracking_number}#entry-{here.timeline.get().pk}",
        )
    ]


def test_the_ward_feed_keeps_the_latest_fifty(client: Client, report: Report) -> None:
    sr = report()
    for n in range(55):
        actions.add_note(request=sr, note=f"Update {n}.", actor=STREETS, public=True)

    titles = [title for title, _ in entries(parse(client, "/wards/1/feed.atom"))]

    assert len(titles) == 50
    assert titles[0].endswith("Update from the city: Update 54.")


def test_an_unknown_ward_or_number_has_no_feed(client: Client, services: object) -> None:
    assert client.get("/wards/99/feed.atom").status_code == 404
    assert client.get("/track/26-09999999/feed.atom").status_code == 404
