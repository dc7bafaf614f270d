"""The department work queue: open requests, filtered, sorted and paged through the partial
indexes on open requests (service_requests/models.py), each with its SLA state.

A sort is a list of segments read one after the other, each ordered by one index: "most urgent
first" is the urgent requests oldest first, then the high ones, and so on; "SLA due soonest" is
the requests with a target by due date, then those without one. A page walks the segments with
their counts, so no query ever sorts a department's whole backlog.

Counting stops at DEPTH: a view of 100,000 requests says "10,000+", and pages through its first
10,000 (200 pages); a filter or another sort reaches the rest. So no count reads more than
DEPTH index entries, however large the backlog.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import ngettext

from civic311.choices import Priority, QueueSort, SlaState
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.selectors import only_open

PAGE_SIZE = 50
DEPTH = 10_000  # counts stop here; pages reach this far (see the module's docstring)
# "Due soon": the target falls within this long from now.
DUE_SOON = timedelta(hours=24)
AGES = (1, 3, 7, 30)  # "older than N days" filters


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows. Empty fields do not filter; `department_id` None is every
    department."""

    department_id: int | None = None
    statuses: tuple[str, ...] = ()
    service_ids: tuple[int, ...] = ()
    ward: str = ""
    priority: str = ""
    sla: str = ""
    older_than_days: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    sort: str = QueueSort.OLDEST


def sla_state(request: ServiceRequest, now: datetime) -> str:
    if request.expected_at is None:
        return SlaState.NO_TARGET
    if request.expected_at < now:
        return SlaState.OVERDUE
    if request.expected_at < now + DUE_SOON:
        return SlaState.DUE_SOON
    return SlaState.ON_TIME


def _sla_q(state: str, now: datetime) -> Q:
    if state == SlaState.OVERDUE:
        return Q(expected_at__lt=now)
    if state == SlaState.DUE_SOON:
        return Q(expected_at__gte=now, expected_at__lt=now + DUE_SOON)
    if state == SlaState.ON_TIME:
        return Q(expected_at__gte=now + DUE_SOON)
    if state == SlaState.NO_TARGET:
        return Q(expected_at__isnull=True)
    return Q()


def open_requests(
    filters: QueueFilters, now: datetime, *, for_sla: bool = True
) -> QuerySet[ServiceRequest]:
    """The open requests the filters select (unordered). `for_sla=False` leaves the SLA filter
    out (the queue's overdue and due-soon counts are of the department, whatever is picked)."""
    qs = only_open(ServiceRequest.objects.filter(is_test=False))
    if filters.department_id is not None:
        qs = qs.filter(department_id=filters.department_id)
    if filters.statuses:
        qs = qs.filter(status__in=filters.statuses)
    if filters.service_ids:
        qs = qs.filter(service_id__in=filters.service_ids)
    if filters.ward:
        qs = qs.filter(ward=filters.ward)
    if filters.priority:
        qs = qs.filter(priority=filters.priority)
    if filters.older_than_days is not None:
        qs = qs.filter(requested_at__lt=now - timedelta(days=filters.older_than_days))
    if filters.assignee_id is not None:
        qs = qs.filter(assignee_id=filters.assignee_id)
    elif filters.unassigned:
        qs = qs.filter(assignee__isnull=True, crew="")
    if for_sla and filters.sla:
        qs = qs.filter(_sla_q(filters.sla, now))
    return qs


_URGENCY = (Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW)


def _segments(
    qs: QuerySet[ServiceRequest], filters: QueueFilters
) -> list[QuerySet[ServiceRequest]]:
    """The sort as index-ordered segments. Requests without a target come after those with one,
    in the order they came in (by id: the index's own order, so nothing is sorted)."""
    sort = filters.sort
    if sort == QueueSort.NEWEST:
        return [qs.order_by("-requested_at", "-id")]
    if sort == QueueSort.DUE:
        return [
            qs.filter(expected_at__isnull=False).order_by("expected_at", "id"),
            qs.filter(expected_at__isnull=True).order_by("id"),
        ]
    if sort == QueueSort.PRIORITY:
        # Most urgent first; within a priority, the one due soonest.
        wanted = [p for p in _URGENCY if not filters.priority or p == filters.priority]
        segments = []
        for priority in wanted:
            same = qs.filter(priority=priority)
            segments += [
                same.filter(expected_at__isnull=False).order_by("expected_at", "id"),
                same.filter(expected_at__isnull=True).order_by("id"),
            ]
        return segments
    return [qs.order_by("requested_at", "id")]


@dataclass(frozen=True)
class Row:
    """A request as its queue line shows it (labels made here: fifty rows of template tags
    cost more than the queries)."""

    request: ServiceRequest
    sla: str
    age_days: int

    @property
    def age(self) -> str:
        return ngettext("%(days)d day", "%(days)d days", self.age_days) % {"days": self.age_days}

    @property
    def sla_label(self) -> str:
        return str(SlaState(self.sla).label)

    @property
    def who(self) -> str:
        person = self.request.assignee
        name = (person.get_full_name() or person.get_username()) if person is not None else ""
        return " · ".join(part for part in (name, self.request.crew) if part)


@dataclass(frozen=True)
class QueuePage:
    rows: list[Row]
    total: int  # at most DEPTH; `more` says there are more
    page: int
    pages: int
    overdue: int  # at most DEPTH
    due_soon: int  # at most DEPTH
    more: bool = False

    @property
    def overdue_more(self) -> bool:
        return self.overdue >= DEPTH

    @property
    def depth(self) -> int:
        return DEPTH

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def _count(qs: QuerySet[ServiceRequest]) -> int:
    """How many, up to DEPTH."""
    return qs.order_by().values("pk")[:DEPTH].count()


def read_page(filters: QueueFilters, *, page: int, now: datetime) -> QueuePage:
    """One page of the queue. Queries: a count per sort segment (until DEPTH is reached), the
    rows of the segments the page falls in (usually one), and the selection's overdue and
    due-soon counts."""
    segments = _segments(open_requests(filters, now), filters)
    counts: list[int] = []
    for segment in segments:
        if sum(counts) >= DEPTH:
            break  # no page reaches further
        counts.append(_count(segment))
    total = min(sum(counts), DEPTH)
    more = sum(counts) >= DEPTH
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    offset, wanted = (page - 1) * PAGE_SIZE, PAGE_SIZE
    found: list[ServiceRequest] = []
    for segment, count in zip(segments, counts, strict=False):
        if offset >= count:
            offset -= count
            continue
        taken = list(
            segment.select_related("service", "department", "assignee")[offset : offset + wanted]
        )
        found += taken
        wanted -= len(taken)
        offset = 0
        if wanted <= 0:
            break
    scope = open_requests(filters, now, for_sla=False)
    return QueuePage(
        rows=[
            Row(request=r, sla=sla_state(r, now), age_days=(now - r.requested_at).days)
            for r in found
        ],
        total=total,
        page=page,
        pages=pages,
        overdue=_count(scope.filter(_sla_q(SlaState.OVERDUE, now))),
        due_soon=_count(scope.filter(_sla_q(SlaState.DUE_SOON, now))),
        more=more,
    )
