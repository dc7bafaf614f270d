"""The keyset pager (lib/paging.py) on the request table it serves: every row exactly once in
a stable order however many share a sort value, first, next, previous and last pages, a row
added between two pages, lists of several segments, old numbered links, and cursors it did not
make."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from civic311.choices import Channel
from civic311.lib import clock
from civic311.lib.paging import LAST, BadCursor, Segment, cursor_after, paginate, walk
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services

pytestmark = pytest.mark.django_db
NEWEST = ("-requested_at", "-id")


def submit(places: Places, at: datetime, code: str = "street_light") -> ServiceRequest:
    lat, long = places.ward2_near_north
    with clock.at(at):
        return actions.submit_request(
            service_code=code,
            channel=Channel.API,
            actor=actions.Actor.app("App"),
            lat=lat,
            long=long,
        ).request


def numbers(rows: Sequence[ServiceRequest]) -> list[str]:
    return [r.tracking_number for r in rows]


@pytest.fixture
def tied(services: Services, places: Places) -> list[ServiceRequest]:
    """Seven requests, five of them made at the same instant, newest first as listed."""
    now = timezone.now()
    same = now - timedelta(hours=1)
    made = [submit(places, now - timedelta(hours=2))]
    made += [submit(places, same) for _ in range(5)]
    made.append(submit(places, now - timedelta(minutes=5)))
    return sorted(made, key=lambda r: (r.requested_at, r.pk), reverse=True)


def every_page(segments: Sequence[Segment[Any]], size: int) -> list[list[ServiceRequest]]:
    pages, cursor = [], ""
    while True:
        page = paginate(segments, size=size, cursor=cursor)
        pages.append(page.rows)
        if page.is_last:
            return pages
        cursor = page.next


def test_pages_hold_every_row_once_in_a_stable_order_despite_ties(
    tied: list[ServiceRequest],
) -> None:
    pages = every_page([Segment(ServiceRequest.objects.all(), NEWEST)], size=2)
    assert [len(rows) for rows in pages] == [2, 2, 2, 1]
    assert numbers([r for rows in pages for r in rows]) == numbers(tied)


def test_first_next_previous_and_last(tied: list[ServiceRequest]) -> None:
    segments = [Segment(ServiceRequest.objects.all(), NEWEST)]
    first = paginate(segments, size=3)
    assert (numbers(first.rows), first.is_first, first.position) == (numbers(tied[:3]), True, 0)
    second = paginate(segments, size=3, cursor=first.next)
    assert (numbers(second.rows), second.position) == (numbers(tied[3:6]), 3)
    back = paginate(segments, size=3, cursor=second.previous)
    assert (numbers(back.rows), back.is_first, back.position) == (numbers(tied[:3]), True, 0)

    last = paginate(segments, size=3, cursor=LAST, total=len(tied))
    assert (numbers(last.rows), last.is_last, last.position) == (numbers(tied[4:]), True, 4)
    before_last = paginate(segments, size=3, cursor=last.previous)
    assert numbers(before_last.rows) == numbers(tied[1:4])
    assert paginate(segments, size=3, cursor=LAST).position is None  # without a total


def test_a_row_added_between_two_pages_neither_repeats_nor_hides_one(
    tied: list[ServiceRequest], places: Places
) -> None:
    """An offset would shift every later page by one (the first page's last row shown again);
    a keyset page goes on from the row where the last one ended."""
    segments = [Segment(ServiceRequest.objects.all(), NEWEST)]
    first = paginate(segments, size=3)
    newest = submit(places, timezone.now())  # before the first page: not in the pages read on
    later = submit(places, tied[5].requested_at - timedelta(seconds=1))  # among those to come
    second = paginate(segments, size=3, cursor=first.next)
    third = paginate(segments, size=3, cursor=second.next)
    assert numbers(second.rows) == numbers(tied[3:6])
    assert numbers(third.rows) == [later.tracking_number, tied[6].tracking_number]
    assert newest.tracking_number not in numbers(first.rows + second.rows + third.rows)


def test_a_list_of_segments_is_read_one_segment_after_the_other(
    tied: list[ServiceRequest],
) -> None:
    """As the queue's "most urgent first": here, ids above the median first, then the rest,
    each segment oldest first."""
    middle = sorted(r.pk for r in tied)[3]
    base = ServiceRequest.objects.all()
    segments = [
        Segment(base.filter(pk__gt=middle), ("requested_at", "id")),
        Segment(base.filter(pk__lte=middle), ("requested_at", "id")),
    ]
    expected = [
        *sorted((r for r in tied if r.pk > middle), key=lambda r: (r.requested_at, r.pk)),
        *sorted((r for r in tied if r.pk <= middle), key=lambda r: (r.requested_at, r.pk)),
    ]
    assert numbers([r for rows in every_page(segments, size=2) for r in rows]) == numbers(expected)
    last = paginate(segments, size=5, cursor=LAST)
    assert numbers(last.rows) == numbers(expected[2:])
    assert numbers(paginate(segments, size=5, cursor=last.previous).rows) == numbers(expected[:2])
    assert numbers(paginate(segments, size=2, skip=3).rows) == numbers(expected[3:5])


def test_a_numbered_link_of_before_cursors_starts_that_far_in(
    tied: list[ServiceRequest],
) -> None:
    segments = [Segment(ServiceRequest.objects.all(), NEWEST)]
    page = paginate(segments, size=2, skip=4)
    assert (numbers(page.rows), page.position, page.is_first) == (numbers(tied[4:6]), 4, False)
    following = paginate(segments, size=2, cursor=page.next)
    assert numbers(following.rows) == numbers(tied[6:])
    # The key a link carried before cursors ("requested_at,id") still leads on from its row.
    carried = cursor_after((tied[1].requested_at, tied[1].pk))
    assert numbers(paginate(segments, size=2, cursor=carried).rows) == numbers(tied[2:4])


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "W10",  # an empty list
        cursor_after(("2026-01-01T00:00:00", 5)),  # a time without an offset
        cursor_after((None, 5)),
        cursor_after(("2026-01-01T00:00:00+00:00",)),  # one value for two keys
        cursor_after(("2026-01-01T00:00:00+00:00", 5), segment=3),
        "x" * 600,
    ],
)
def test_a_cursor_the_list_did_not_make_is_refused(services: Services, cursor: str) -> None:
    with pytest.raises(BadCursor):
        paginate([Segment(ServiceRequest.objects.all(), NEWEST)], size=2, cursor=cursor)


def test_an_export_walks_every_row_a_chunk_a_query(
    tied: list[ServiceRequest], django_assert_num_queries: Any
) -> None:
    segments = [Segment(ServiceRequest.objects.all(), NEWEST)]
    with django_assert_num_queries(3):  # 3 + 3 + 1 rows
        rows = list(walk(segments, fields=["tracking_number"], chunk=3))
    assert [number for (number,) in rows] == numbers(tied)
