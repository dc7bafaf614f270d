"""The tracking page tells where a request stands and what happened, in plain sentences."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from civic311.choices import Status
from civic311.lib import clock
from civic311.resident.tests.conftest import STREETS, WATER, Report
from civic311.service_requests import actions

pytestmark = pytest.mark.django_db


def page(client: Client, number: str) -> str:
    response = client.get(f"/track/{number}")
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_service_place_department_and_status_in_plain_words(
    client: Client, report: Report
) -> None:
    sr = report("pothole", address="1200 W Madison St")

    html = page(client, sr.tracking_number)

    assert "<h1>Pothole in Street</h1>" in html
    assert "1200 W Madison St" in html
    assert "Ward 1 · Near West Side" in html
    assert "Transportation" in html
    assert "We have received this request. Transportation will look at it soon." in html


def test_the_reported_time_is_shown_on_the_citys_clock(client: Client, report: Report) -> None:
    sr = report(at=datetime(2026, 3, 10, 15, 0, tzinfo=UTC))  # 10:00 in Chicago (CDT)

    html = page(client, sr.tracking_number)

    assert "Tuesday 10 Mar 2026, 10:00 AM" in html


def test_the_timeline_reads_as_sentences(client: Client, report: Report) -> None:
    sr = report("pothole")
    actions.change_status(request=sr, status=Status.ACKNOWLEDGED, actor=STREETS)
    actions.change_status(request=sr, status=Status.IN_PROGRESS, actor=STREETS, note="Crew of 2.")
    actions.reroute(
        request=sr, actor=STREETS, department_code="water", reason="A water main broke here."
    )
    actions.close(request=sr, status=Status.CLOSED_FIXED, actor=WATER, note="Main repaired.")

    html = page(client, sr.tracking_number)

    sentences = [
        "Received",
        "Acknowledged",
        "Work started: Crew of 2.",
        "Rerouted to Water Management: A water main broke here.",
        "Closed: completed — Main repaired.",
    ]
    positions = [html.index(f"<p>{sentence}</p>") for sentence in sentences]
    assert positions == sorted(positions)
    assert "Done: Water Management has completed the work." in html


def test_a_request_closed_as_not_fixed_shows_the_reason(client: Client, report: Report) -> None:
    sr = report()
    actions.close(request=sr, status=Status.CLOSED_NOT_FIXED, actor=WATER, note="No cave-in found.")

    html = page(client, sr.tracking_number)

    assert "<p>Closed: not fixed — No cave-in found.</p>" in html
    assert "Closed without a fix." in html


def test_internal_notes_are_never_shown(client: Client, report: Report) -> None:
    sr = report()
    actions.add_note(
        request=sr, note="Caller sounded upset; check the valve.", actor=WATER, public=False
    )
    actions.add_note(request=sr, note="Inspection booked.", actor=WATER, public=True)

    html = page(client, sr.tracking_number)
    feed = client.get(f"/track/{sr.tracking_number}/feed.atom").content.decode()

    assert "Update from the city: Inspection booked." in html
    for text in (html, feed):
        assert "Caller sounded upset" not in text
        assert "check the valve" not in text


def test_who_on_the_staff_made_a_change_is_not_shown(client: Client, report: Report) -> None:
    sr = report()
    actions.change_status(
        request=sr,
        status=Status.SCHEDULED,
        actor=actions.Actor(label="Jane Inspector"),
        note="Booked for Monday.",
    )

    html = page(client, sr.tracking_number)

    assert "Work scheduled: Booked for Monday." in html
    assert "Jane Inspector" not in html


def test_a_duplicate_points_to_its_parent_and_the_parent_counts_it(
    client: Client, report: Report
) -> None:
    with clock.at(datetime(2026, 3, 10, 15, 0, tzinfo=UTC)):
        first = report("pothole")
    second = report("pothole")  # the same place: linked as a duplicate
    assert second.parent_id == first.pk

    duplicate_html = page(client, second.tracking_number)
    parent_html = page(client, first.tracking_number)

    link = f'<a href="/track/{first.tracking_number}">{first.tracking_number}</a>'
    assert f"This was reported before as {link}." in duplicate_html
    assert f"Marked as a duplicate of {link}" in duplicate_html
    assert "1 more report of this same problem was joined to this request." in parent_html
    assert (
        f'Someone reported the same problem again: <a href="/track/{second.tracking_number}">'
        in parent_html
    )


def test_the_page_offers_its_feed_and_a_map_that_works_without_javascript(
    client: Client, report: Report
) -> None:
    sr = report()

    html = page(client, sr.tracking_number)

    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Updates on {sr.tracking_number}"'
        f' href="/track/{sr.tracking_number}/feed.atom">'
    ) in html
    assert "https://www.openstreetmap.org/?mlat=41.87&amp;mlon=-87.68#map=18/41.87/-87.68" in html
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert "/static/js_lib_leaflet/leaflet.js" in html
    assert "unpkg" not in html and "cdn" not in html.lower()


def test_photos_show_as_thumbnails_linking_to_the_full_image(
    client: Client, report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    from civic311.resident import track

    sr = report()
    monkeypatch.setattr(
        track,
        "photo_urls",
        lambda request, thumbnails=False: [
            "http://127.0.0.1:8000/media/photos/t.jpg"
            if thumbnails
            else "http://127.0.0.1:8000/media/photos/i.jpg"
        ],
    )

    html = page(client, sr.tracking_number)

    assert (
        '<a href="http://127.0.0.1:8000/media/photos/i.jpg"><img src="http://127.0.0.1:8000/media/photos/t.jpg"'
        in html
    )
