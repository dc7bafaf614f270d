"""The department work queue's reads: open requests a filterset selected (filters.py), sorted
and paged through the partial indexes on open, non-test requests (models.py).

A sort is a list of segments read one after the other, each ordered by one index: "most urgent
first" is the urgent requests by due date, then the high ones, and so on; "SLA due soonest" is
the requests with a target by due date, then those without one. The keyset pager
(lib/paging.py) walks the segments from where the last page ended, so no query ever sorts a
department's backlog, and page 500 costs what page 1 does.

Counting stops at DEPTH: a view of 100,000 requests says "10,000+" (and "10,000+ overdue"), so
no count reads more than DEPTH index entries however large the backlog; the pages go on past
it. A numbered page (`?page=N`, the links of before cursors) starts at most at the last page
the count reaches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from civic311.catalog.models import Service
from civic311.choices import Priority, QueueSort, SlaState
from civic311.departments.models import Department
from civic311.lib.paging import BadCursor, Page, Segment, paginate
from civic311.service_requests.lists import bad_cursor
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.selectors import only_open
from civic311.service_requests.sla import sla_q

DEPTH = 10_000  # counts stop here (see the module's docstring)
_URGENCY = (Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW)


def open_requests(requests: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """The open ones among `requests` (a filterset's: test requests already left out), read
    through the queues' partial indexes."""
    return only_open(requests)


def segments(
    qs: QuerySet[ServiceRequest], *, sort: str, priority: str = ""
) -> list[Segment[ServiceRequest]]:
    """The sort as index-ordered segments. Requests without a target come after those with one,
    in the order they came in (by id: the index's own order, so nothing is sorted)."""
    if sort == QueueSort.NEWEST:
        return [Segment(qs, ("-requested_at", "-id"))]
    if sort == QueueSort.DUE:
        return _by_target(qs)
    if sort == QueueSort.PRIORITY:
        # Most urgent first; within a priority, the one due soonest.
        wanted = [p for p in _URGENCY if not priority or p == priority]
        return [part for p in wanted for part in _by_target(qs.filter(priority=p))]
    return [Segment(qs, ("requested_at", "id"))]


def _by_target(qs: QuerySet[ServiceRequest]) -> list[Segment[ServiceRequest]]:
    return [
        Segment(qs.filter(expected_at__isnull=False), ("expected_at", "id")),
        Segment(qs.filter(expected_at__isnull=True), ("id",)),
    ]


def departments_by_name() -> list[Department]:
    """The departments a queue may show, for its picker."""
    return list(Department.objects.order_by("name"))


def services_by_name() -> list[Service]:
    """Every service, for the queue's picker."""
    return list(Service.objects.order_by("service_name").only("id", "service_code", "service_name"))


def count(qs: QuerySet[ServiceRequest]) -> int:
    """How many, up to DEPTH."""
    return qs.order_by().values("pk")[:DEPTH].count()


@dataclass(frozen=True)
class QueueRead:
    page: Page[ServiceRequest]
    total: int  # at most DEPTH; `more` says there are more
    more: bool
    overdue: int  # at most DEPTH
    due_soon: int  # at most DEPTH


def read_queue(
    selected: QuerySet[ServiceRequest],
    scope: QuerySet[ServiceRequest],
    *,
    sort: str,
    priority: str,
    size: int,
    cursor: str = "",
    page_number: int = 1,
    now: datetime,
) -> QueueRead:
    """One page of the queue. `selected` is what the filters pick; `scope` the same without
    the SLA filter (the overdue and due-soon counts are of the department, whatever state is
    picked). Queries: the selection's count, the rows of the segments the page falls in
    (usually one), and the overdue and due-soon counts."""
    selected, scope = open_requests(selected), open_requests(scope)
    counted = count(selected)
    total, more = min(counted, DEPTH), counted >= DEPTH
    pages = max(1, -(-total // size))
    skip = (min(max(1, page_number), pages) - 1) * size
    parts = segments(
        selected.select_related("service", "department", "assignee"), sort=sort, priority=priority
    )
    try:
        page = paginate(
            parts,
            size=size,
            cursor=cursor,
            skip=0 if cursor else skip,
            total=None if more else total,
        )
    except BadCursor:
        raise bad_cursor() from None
    return QueueRead(
        page=page,
        total=total,
        more=more,
        overdue=count(scope.filter(sla_q(SlaState.OVERDUE, now))),
        due_soon=count(scope.filter(sla_q(SlaState.DUE_SOON, now))),
    )
