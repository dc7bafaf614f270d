"""The public list and map of requests, and a page per ward and community area."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from civic311.choices import Status
from civic311.resident.tests.conftest import WATER, Report
from civic311.service_requests import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(report: Report, places: Any) -> dict[str, Any]:
    now = timezone.now()
    west = report("pothole", where=places.ward1_near_west, at=now - timedelta(days=3))
    east = report("sewer_cave_in", where=places.ward2_near_north, at=now - timedelta(days=2))
    fixed = report("sewer_cave_in", where=places.ward1_near_west, at=now - timedelta(days=10))
    actions.close(request=fixed, status=Status.CLOSED_FIXED, actor=WATER)
    secret = report(
        "street_light",
        where=places.ward2_near_north,
        contact=actions.Contact(first_name="Zebulon", email="zeb@example.org"),
        description="<img src=x onerror=alert(1)>",
    )
    return {"west": west, "east": east, "fixed": fixed, "secret": secret}


def test_the_list_shows_open_requests_newest_first(client: Client, reported: Any) -> None:
    page = client.get("/requests/").content.decode()
    numbers = [reported[k].tracking_number for k in ("secret", "east", "west")]
    positions = [page.index(n) for n in numbers]
    assert positions == sorted(positions)
    assert reported["fixed"].tracking_number not in page
    assert "Zebulon" not in page and "zeb@example.org" not in page


def test_filters_by_service_status_ward_and_date(client: Client, reported: Any) -> None:
    def numbers(**params: str) -> set[str]:
        page = client.get("/requests/", params).content.decode()
        return {k for k, sr in reported.items() if sr.tracking_number in page}

    assert numbers(service="sewer_cave_in") == {"east"}
    assert numbers(service="sewer_cave_in", status="all") == {"east", "fixed"}
    assert numbers(status="closed") == {"fixed"}
    assert numbers(ward="1", status="all") == {"west", "fixed"}
    since = (timezone.now() - timedelta(days=5)).date().isoformat()
    assert numbers(since=since, status="all") == {"west", "east", "secret"}
    bad = client.get("/requests/", {"since": "last tuesday"})
    assert bad.status_code == 400
    assert 'id="f-since-error"' in bad.content.decode()


def test_the_map_gets_every_match_not_only_the_page(
    client: Client, reported: Any, settings: Any
) -> None:
    from civic311.resident import browse

    body = client.get("/requests/points.json", {"status": "all"}).json()
    assert len(body["points"]) == 4
    assert body["more"] is False
    lat, long, number, status, service = body["points"][0]
    assert (lat, long) == (41.9, -87.62)
    assert number == reported["secret"].tracking_number
    assert (status, service) == ("open", "Street Light Out")
    assert set(map(len, body["points"])) == {5}  # no description, no contact

    browse.MAP_POINTS, saved = 2, browse.MAP_POINTS
    try:
        capped = client.get("/requests/points.json", {"status": "all"}).json()
    finally:
        browse.MAP_POINTS = saved
    assert len(capped["points"]) == 2 and capped["more"] is True


def test_pages_of_fifty(client: Client, report: Report, places: Any) -> None:
    for _ in range(51):
        report("street_light", where=places.ward1_near_west)
    first = client.get("/requests/").content.decode()
    assert 'rel="next"' in first and first.count('<td><a href="/track/') == 50
    second = client.get("/requests/", {"page": "2"}).content.decode()
    assert second.count('<td><a href="/track/') == 1 and 'rel="prev"' in second


def test_the_next_page_goes_on_from_where_the_first_ended(
    client: Client, report: Report, places: Any
) -> None:
    """A request reported while someone reads the first page does not push a row of it onto
    the second (the pages follow a cursor, not an offset)."""
    made = [report("street_light", where=places.ward1_near_west) for _ in range(51)]
    first = client.get("/requests/").content.decode()
    following = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert "cursor=" in following
    report("street_light", where=places.ward1_near_west)
    second = client.get(following.replace("&amp;", "&")).content.decode()
    assert second.count('<td><a href="/track/') == 1
    assert made[0].tracking_number in second  # the oldest, and only it
    assert 'rel="prev"' in second and "Page 2" in second


def test_a_ward_page_lists_its_open_requests(client: Client, reported: Any) -> None:
    page = client.get("/wards/1/").content.decode()
    assert "<h1>Ward 1</h1>" in page
    assert reported["west"].tracking_number in page
    assert reported["east"].tracking_number not in page
    assert reported["fixed"].tracking_number not in page
    assert 'href="/wards/1/feed.atom"' in page
    assert client.get("/wards/99/").status_code == 404


def test_a_community_area_page_and_the_index(client: Client, reported: Any) -> None:
    page = client.get("/community-areas/8/").content.decode()
    assert "<h1>Near North Side</h1>" in page
    assert reported["east"].tracking_number in page
    assert reported["west"].tracking_number not in page
    index = client.get("/areas/").content.decode()
    assert 'href="/wards/2/"' in index and 'href="/community-areas/28/"' in index


def test_text_is_escaped(client: Client, reported: Any) -> None:
    for url in ("/requests/", "/wards/2/", f"/track/{reported['secret'].tracking_number}"):
        assert "<img src=x" not in client.get(url).content.decode()
