"""Every read of service requests that more than one interface needs."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from civic311.catalog.models import Service
from civic311.choices import AreaKind, Status, TimelineType
from civic311.departments.models import Department
from civic311.geo import cells
from civic311.geo.models import Area
from civic311.service_requests import tracking
from civic311.service_requests.models import ServiceRequest, TimelineEntry


def only_open(qs: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """Open requests, read through the partial indexes on open requests (lookups.py says why
    the statuses are written into the SQL)."""
    return qs.filter(status__open311="open")


def only_closed(qs: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    return qs.filter(status__open311="closed")


@dataclass(frozen=True)
class Nearby:
    request: ServiceRequest
    distance_m: float


def open_requests_nearby(
    *,
    lat: float,
    long: float,
    radius_m: float,
    service: Service | None = None,
    exclude_id: int | None = None,
    limit: int = 10,
) -> list[Nearby]:
    """Open requests (of one service, or any) within radius_m of a point, nearest first.

    Duplicates already merged into a parent are left out: the parent stands for them."""
    ring = cells.disk(lat, long, radius_m)
    qs = only_open(ServiceRequest.objects.filter(**{f"{ring.field}__in": ring.cells}))
    if service is not None:
        qs = qs.filter(service=service)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    # Distances from bare coordinates first; whole requests only for the few that are kept
    # (every submission runs this, and a busy corner can hold dozens of open requests). Merged
    # duplicates and test requests are left out here, not in SQL: `parent_id IS NULL` there
    # made SQLite walk the parent index over a million rows instead of the cells' index.
    within = sorted(
        (distance, requested_at, pk)
        for pk, candidate_lat, candidate_long, requested_at, parent_id, is_test in qs.values_list(
            "pk", "lat", "long", "requested_at", "parent_id", "is_test"
        )[:2000]
        if parent_id is None
        and not is_test
        and (distance := cells.distance_m(lat, long, candidate_lat, candidate_long)) <= radius_m
    )[:limit]
    if not within:
        return []
    requests = ServiceRequest.objects.select_related("service", "department").in_bulk(
        [pk for _distance, _at, pk in within]
    )
    return [Nearby(requests[pk], distance) for distance, _at, pk in within]


def get_request(pk: int) -> ServiceRequest:
    """A request by its id, with what every public rendering of it reads (service, department,
    the request it duplicates). Raises ServiceRequest.DoesNotExist."""
    return ServiceRequest.objects.select_related("service", "department", "parent").get(pk=pk)


def get_by_tracking_number(number: str) -> ServiceRequest | None:
    return (
        ServiceRequest.objects.select_related("service", "department", "parent")
        .filter(tracking_number=number)
        .first()
    )


def find_by_typed_number(text: str) -> ServiceRequest | None:
    """The request a person meant, however they typed its number."""
    if tracking.is_canonical(text.strip()):
        return get_by_tracking_number(text.strip())
    for candidate in tracking.candidates(text, today=timezone.now()):
        found = get_by_tracking_number(candidate)
        if found is not None:
            return found
    return None


def public_timeline(request: ServiceRequest) -> QuerySet[TimelineEntry]:
    return TimelineEntry.objects.filter(request=request, public=True).order_by("at", "id")


def root_of(request: ServiceRequest) -> ServiceRequest:
    """The request a chain of duplicates ends at."""
    seen = {request.pk}
    current = request
    while current.parent_id is not None and current.parent_id not in seen:
        seen.add(current.parent_id)
        current = ServiceRequest.objects.get(pk=current.parent_id)
    return current


# --- The tracking page: where a request is, and how long it will likely take --------------------


@dataclass(frozen=True)
class AreaNames:
    ward: str = ""
    community_area: str = ""


def area_names(request: ServiceRequest) -> AreaNames:
    """The names of the request's ward and community area, in one query (none without codes)."""
    return area_names_for(ward=request.ward, community_area=request.community_area)


def area_names_for(*, ward: str, community_area: str) -> AreaNames:
    """The names of a ward and a community area, in one query (none without codes)."""
    wanted = [
        Q(kind=kind, code=code)
        for kind, code in ((AreaKind.WARD, ward), (AreaKind.COMMUNITY_AREA, community_area))
        if code
    ]
    if not wanted:
        return AreaNames()
    condition = wanted[0]
    for more in wanted[1:]:
        condition |= more
    names = {
        (kind, code): name
        for kind, code, name in Area.objects.filter(condition).values_list("kind", "code", "name")
    }
    return AreaNames(
        ward=names.get((AreaKind.WARD, ward), ""),
        community_area=names.get((AreaKind.COMMUNITY_AREA, community_area), ""),
    )


ESTIMATE_CLOSED_WITHIN_DAYS = 90
# Requests are read newest first through the (service, requested_at) or (community area,
# requested_at) index, so the scan needs a floor: one that took longer than this is left out
# of "how long it usually takes" (it is rare, and would only widen the range).
ESTIMATE_REQUESTED_WITHIN_DAYS = 180
ESTIMATE_SAMPLE_LIMIT = 200
ESTIMATE_MIN_SAMPLE = 10


@dataclass(frozen=True)
class Estimate:
    """When a request will likely be done: the city's target (from the SLA), and, better, the
    middle half (25th to 75th percentile) of how long the same service actually took recently
    in the same community area, or citywide when the area has too few. low_days and high_days
    are None when there are too few closed requests to say."""

    sla_due: datetime | None
    low_days: int | None = None
    high_days: int | None = None
    sample_size: int = 0
    area_name: str = ""  # the community area the sample is from; empty when citywide

    @property
    def is_citywide(self) -> bool:
        return not self.area_name

    @property
    def has_typical(self) -> bool:
        return self.low_days is not None and self.high_days is not None


def _durations_days(qs: QuerySet[ServiceRequest]) -> list[float]:
    rows = qs.order_by("-requested_at").values_list("requested_at", "closed_at")[
        :ESTIMATE_SAMPLE_LIMIT
    ]
    return [
        (closed - requested).total_seconds() / 86400
        for requested, closed in rows
        if closed is not None and closed >= requested
    ]


def _middle_half(days: list[float]) -> tuple[int, int]:
    q1, _median, q3 = statistics.quantiles(days, n=4, method="inclusive")
    low = max(0, math.floor(q1))
    high = max(1, math.ceil(q3), low)
    return low, high


def completion_estimate(request: ServiceRequest, *, now: datetime | None = None) -> Estimate:
    """The SLA target and how long the same service usually takes (see Estimate).

    At most three small queries: the most recent ESTIMATE_SAMPLE_LIMIT requests of the service
    closed as fixed in the area, then citywide if the area has fewer than ESTIMATE_MIN_SAMPLE,
    and the area's name. Each reads through an index on (service or area, requested_at) with a
    floor on requested_at, so the cost is bounded by the rows of ~6 months, not of all time;
    the percentiles are computed here, over at most 200 numbers."""
    now = now or timezone.now()
    recent = ServiceRequest.objects.filter(
        service_id=request.service_id,
        status=Status.CLOSED_FIXED,
        is_test=False,
        closed_at__gte=now - timedelta(days=ESTIMATE_CLOSED_WITHIN_DAYS),
        requested_at__gte=now - timedelta(days=ESTIMATE_REQUESTED_WITHIN_DAYS),
    ).exclude(pk=request.pk)
    area_name = ""
    days: list[float] = []
    if request.community_area:
        days = _durations_days(recent.filter(community_area=request.community_area))
        if len(days) >= ESTIMATE_MIN_SAMPLE:
            area_name = area_names(request).community_area or request.community_area
    if len(days) < ESTIMATE_MIN_SAMPLE:
        days = _durations_days(recent)
    if len(days) < ESTIMATE_MIN_SAMPLE:
        return Estimate(sla_due=request.expected_at)
    low, high = _middle_half(days)
    return Estimate(
        sla_due=request.expected_at,
        low_days=low,
        high_days=high,
        sample_size=len(days),
        area_name=area_name,
    )


def department_names(codes: Iterable[str]) -> dict[str, str]:
    """Department names by code, in one query (none for no codes)."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    return dict(Department.objects.filter(code__in=wanted).values_list("code", "name"))


def duplicates_count(request: ServiceRequest) -> int:
    return ServiceRequest.objects.filter(parent=request).count()


def ward_exists(code: str) -> bool:
    return Area.objects.filter(kind=AreaKind.WARD, code=code).exists()


WARD_FEED_WITHIN_DAYS = 90
WARD_FEED_REQUESTED_WITHIN_DAYS = 365


def ward_public_timeline(
    ward: str, *, limit: int = 50, now: datetime | None = None
) -> list[TimelineEntry]:
    """The most recent public timeline entries of a ward's requests (test requests left out),
    newest first, with their request and service.

    Two queries. The first picks entry ids through the (ward, requested_at) index with floors
    on both dates, so its cost is bounded by a year of the ward's requests (about 20-30 ms for
    the busiest ward at a million requests on SQLite), whatever the table holds; an entry on a
    request older than a year is left out. Joining the service in that same query made SQLite
    plan a scan of every service's requests (seconds), hence the second query by primary key."""
    now = now or timezone.now()
    ids = list(
        TimelineEntry.objects.filter(
            public=True,
            at__gte=now - timedelta(days=WARD_FEED_WITHIN_DAYS),
            request__ward=ward,
            request__requested_at__gte=now - timedelta(days=WARD_FEED_REQUESTED_WITHIN_DAYS),
            request__is_test=False,
        )
        .order_by("-at", "-id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return []
    return list(
        TimelineEntry.objects.filter(id__in=ids)
        .select_related("request", "request__service")
        .order_by("-at", "-id")
    )


@dataclass(frozen=True)
class CityFigures:
    open_requests: int
    closed_last_30_days: int


def city_figures() -> CityFigures:
    """The two numbers on the home page, read through indexes (counting requests by
    `closed_at` would scan millions of rows): open ones through the partial index of open
    requests, closures through the timeline's (type, at) index."""
    since = timezone.now() - timedelta(days=30)
    return CityFigures(
        open_requests=only_open(ServiceRequest.objects.filter(is_test=False)).count(),
        closed_last_30_days=TimelineEntry.objects.filter(
            type=TimelineType.CLOSED, at__gte=since, request__is_test=False
        ).count(),
    )
