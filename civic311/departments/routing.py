"""Which department fixes a request, how urgently, and by when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from civic311.catalog.models import Service
from civic311.choices import AreaKind
from civic311.departments.models import Department
from civic311.geo.locator import Location

# A ward rule is more specific than a community-area rule, which is more specific than ZIP.
_SPECIFICITY = (AreaKind.WARD, AreaKind.COMMUNITY_AREA, AreaKind.ZIP)


@dataclass(frozen=True)
class Route:
    department: Department
    priority: str


def route(*, service: Service, location: Location) -> Route:
    codes: dict[str, str] = {
        AreaKind.WARD: location.ward,
        AreaKind.COMMUNITY_AREA: location.community_area,
        AreaKind.ZIP: location.zipcode,
    }
    # `service.routing_rules` is usually prefetched (catalog cache): no query per submission.
    rules = {
        rule.area_kind: rule
        for rule in service.routing_rules.all()
        if rule.area_code == codes.get(rule.area_kind)
    }
    department, priority = service.department, service.default_priority
    for kind in reversed(_SPECIFICITY):  # least specific first; more specific ones overwrite
        rule = rules.get(kind)
        if rule is None:
            continue
        department = rule.department or department
        priority = rule.priority or priority
    return Route(department=department, priority=priority)


def expected_completion(*, service: Service, requested_at: datetime) -> datetime | None:
    if not service.sla_hours:
        return None
    return requested_at + timedelta(hours=service.sla_hours)
