"""Lists of requests, a page at a time: what the API's GET requests, the public lists and map,
and the ward view read. Each takes the requests a filterset selected (filters.py) and reads
them through the one keyset pager (lib/paging.py) in the order of the index that serves them:
newest first through (…, requested_at), or in order of change through updated_at. No list
counts its rows; each page is one query, plus one to look ahead.

The work queue has its own module (queue.py): its sorts are segments over partial indexes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from civic311.lib.errors import InvalidInput, Problem
from civic311.lib.paging import BadCursor, Page, Segment, paginate, walk
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.selectors import only_open

NEWEST = ("-requested_at", "-id")
BY_CHANGE = ("updated_at", "id")
MAX_SKIP = 10_000  # rows a numbered page (an old link) may start at, on the pages for people


def bad_cursor() -> InvalidInput:
    return InvalidInput(
        [
            Problem(
                "cursor.invalid",
                "cursor",
                _("cursor is not one this list gave: start again without it."),
            )
        ]
    )


def page_of(
    requests: QuerySet[ServiceRequest],
    *,
    size: int,
    order: tuple[str, ...] = NEWEST,
    cursor: str = "",
    skip: int = 0,
    only: Sequence[str] = (),
    related: Sequence[str] = ("service", "department", "parent"),
) -> Page[ServiceRequest]:
    """One page of the requests, with their `related` rows (or, given `only`, just those
    fields: a page for people builds its names from the catalogue, not a join). InvalidInput
    on a cursor this list did not give."""
    qs = requests.select_related(None).only(*only) if only else requests.select_related(*related)
    try:
        return paginate([Segment(qs, order)], size=size, cursor=cursor, skip=skip)
    except BadCursor:
        raise bad_cursor() from None


def points(requests: QuerySet[ServiceRequest], *, limit: int) -> list[tuple[Any, ...]]:
    """The newest `limit` + 1 matches as (lat, long, number, status, service id): the map's
    points, and whether there are more."""
    return list(
        requests.select_related(None)
        .order_by(*NEWEST)
        .values_list("lat", "long", "tracking_number", "status", "service_id")[: limit + 1]
    )


def export_rows(
    requests: QuerySet[ServiceRequest], *, fields: Sequence[str], chunk: int
) -> Iterator[tuple[Any, ...]]:
    """Every match, newest first, as tuples of `fields`, `chunk` rows a query (flat memory,
    however many)."""
    return walk([Segment(requests.select_related(None), NEWEST)], fields=fields, chunk=chunk)


@dataclass(frozen=True)
class WardFigures:
    open: int
    overdue: int


def ward_figures(ward: str, *, now: datetime) -> WardFigures:
    """A ward's open requests and those past their target: two counts over the partial index
    of open requests by ward."""
    open_qs = only_open(ServiceRequest.objects.filter(ward=ward, is_test=False))
    return WardFigures(open=open_qs.count(), overdue=open_qs.filter(expected_at__lt=now).count())
