"""The tracking page and feeds cost the same few queries however long the timeline is."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from civic311.choices import Status
from civic311.resident.tests.conftest import STREETS, Report
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest

pytestmark = pytest.mark.django_db

PAGE_QUERIES = 8  # request, areas, timeline, departments, photos, duplicates, estimate (2)
FEED_QUERIES = 4  # ward feed: ward, entry ids, entries, departments


def grow(sr: ServiceRequest, notes: int) -> None:
    actions.change_status(request=sr, status=Status.ACKNOWLEDGED, actor=STREETS)
    for n in range(notes):
        actions.add_note(request=sr, note=f"Update {n}.", actor=STREETS, public=True)
        actions.reroute(
            request=sr,
            actor=STREETS,
            department_code="water" if n % 2 == 0 else "cdot",
            reason="Another team.",
        )


@pytest.mark.parametrize("notes", [0, 25])
def test_the_tracking_page(
    client: Client, report: Report, django_assert_max_num_queries: Any, notes: int
) -> None:
    sr = report("pothole")
    grow(sr, notes)

    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(f"/track/{sr.tracking_number}")

    assert response.status_code == 200


@pytest.mark.parametrize("notes", [0, 25])
def test_the_feeds(
    client: Client, report: Report, django_assert_max_num_queries: Any, notes: int
) -> None:
    sr = report("pothole")
    grow(sr, notes)

    with django_assert_max_num_queries(FEED_QUERIES):
        assert client.get(f"/track/{sr.tracking_number}/feed.atom").status_code == 200
    with django_assert_max_num_queries(FEED_QUERIES):
        assert client.get(f"/wards/{sr.ward}/feed.atom").status_code == 200


LIST_QUERIES = 2  # the page of requests, the wards of the filter (services come from the cache)
AREA_QUERIES = 2  # the area, the page of requests
POINTS_QUERIES = 1


@pytest.mark.parametrize("count", [1, 30])
def test_the_browse_pages(
    client: Client, report: Report, django_assert_max_num_queries: Any, count: int, places: Any
) -> None:
    for n in range(count):
        report("street_light" if n % 2 else "sewer_cave_in", where=places.ward1_near_west)
    client.get("/requests/")  # the catalogue cache loads once per process

    with django_assert_max_num_queries(LIST_QUERIES):
        assert client.get("/requests/", {"status": "all"}).status_code == 200
    with django_assert_max_num_queries(AREA_QUERIES):
        assert client.get("/wards/1/").status_code == 200
    with django_assert_max_num_queries(AREA_QUERIES):
        assert client.get("/community-areas/28/").status_code == 200
    with django_assert_max_num_queries(POINTS_QUERIES):
        assert len(client.get("/requests/points.json").json()["points"]) == count
    with django_assert_max_num_queries(2):
        assert client.get("/areas/").status_code == 200
