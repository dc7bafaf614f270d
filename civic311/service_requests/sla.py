"""Where an open request stands against its service's target (`expected_at`, from the SLA):
overdue, due soon, on time, or without a target. The work queue flags and filters by it, the
ward view and the daily digest count the overdue ones, the request page shows it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q

from civic311.choices import SlaState

if TYPE_CHECKING:
    from civic311.service_requests.models import ServiceRequest

# "Due soon": the target falls within this long from now.
DUE_SOON = timedelta(hours=24)


def sla_state(request: ServiceRequest, now: datetime) -> str:
    expected_at = request.expected_at
    if expected_at is None:
        return SlaState.NO_TARGET
    if expected_at < now:
        return SlaState.OVERDUE
    if expected_at < now + DUE_SOON:
        return SlaState.DUE_SOON
    return SlaState.ON_TIME


def sla_q(state: str, now: datetime) -> Q:
    """The requests in `state` at `now` (every request for an unknown state)."""
    if state == SlaState.OVERDUE:
        return Q(expected_at__lt=now)
    if state == SlaState.DUE_SOON:
        return Q(expected_at__gte=now, expected_at__lt=now + DUE_SOON)
    if state == SlaState.ON_TIME:
        return Q(expected_at__gte=now + DUE_SOON)
    if state == SlaState.NO_TARGET:
        return Q(expected_at__isnull=True)
    return Q()
