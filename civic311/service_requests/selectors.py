"""Every read of service requests that more than one interface needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from civic311.catalog.models import Service
from civic311.choices import Status
from civic311.geo import cells
from civic311.service_requests import tracking
from civic311.service_requests.models import ServiceRequest, TimelineEntry


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
    qs = ServiceRequest.objects.filter(
        **{f"{ring.field}__in": ring.cells},
        status__in=Status.open_values(),
        parent__isnull=True,
    ).select_related("service", "department")
    if service is not None:
        qs = qs.filter(service=service)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    found = []
    for candidate in qs[:2000]:
        distance = cells.distance_m(lat, long, candidate.lat, candidate.long)
        if distance <= radius_m:
            found.append(Nearby(candidate, distance))
    found.sort(key=lambda n: (n.distance_m, n.request.requested_at))
    return found[:limit]


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
