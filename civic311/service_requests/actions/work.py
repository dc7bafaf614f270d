"""Working a request: who does it, notes on it, where it belongs, what it duplicates. Each goes
through records.transition."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from civic311.catalog.models import Service
from civic311.choices import Role, Status, TimelineType
from civic311.departments.models import Department
from civic311.departments.routing import expected_completion, route
from civic311.geo.locator import Location
from civic311.lib.errors import InvalidInput, Problem
from civic311.service_requests import permissions, selectors
from civic311.service_requests.actions.actor import Actor
from civic311.service_requests.actions.checks import check_service, too_long
from civic311.service_requests.actions.records import clean_note, lock, record, touch, transition
from civic311.service_requests.models import ServiceRequest, TimelineEntry
from civic311.service_requests.permissions import Verb

MAX_CREW = 100


def _name_of(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _assignee_problems(assignee: Any, request: ServiceRequest) -> list[Problem]:
    """A person is assigned work of their own department (an administrator anything)."""
    role = permissions.role_of(assignee)
    if role is not None and (
        role.role == Role.ADMINISTRATOR
        or (
            role.role in (Role.DEPARTMENT_STAFF, Role.SUPERVISOR)
            and role.department_id == request.department_id
        )
    ):
        return []
    return [
        Problem(
            "assign.not_in_department",
            "assignee",
            _("%(name)s does not work in %(department)s.")
            % {"name": _name_of(assignee), "department": request.department.name},
        )
    ]


def assign(
    *,
    request: ServiceRequest,
    actor: Actor,
    assignee: AbstractBaseUser | None = None,
    crew: str = "",
    note: str = "",
) -> ServiceRequest:
    """Give an open request to a person of its department and/or a crew; neither unassigns it.
    Internal: residents see the work, not who does it."""
    problems: list[Problem] = []
    note = clean_note(note, required=False, problems=problems)
    crew = (crew or "").strip()
    if len(crew) > MAX_CREW:
        problems.append(too_long("crew.too_long", "crew", MAX_CREW))
    new_id = int(assignee.pk) if assignee is not None else None
    with transition(request, actor=actor, verb=Verb.WORK, problems=problems) as change:
        current = change.request
        if assignee is not None:
            change.problems.extend(_assignee_problems(assignee, current))
        before = {"assignee": current.assignee_id, "crew": current.crew}
        change.unchanged_if(
            (current.assignee_id, current.crew) == (new_id, crew),
            Problem("assign.unchanged", "assignee", _("It is already assigned that way.")),
        )
        change.commit(
            TimelineType.ASSIGNED,
            note=note,
            public=False,
            data={
                "from": before,
                "to": {"assignee": new_id, "crew": crew},
                # The name as it was then, for the audit log (people are renamed, and leave).
                "assignee_name": _name_of(assignee) if assignee is not None else "",
            },
            assignee_id=new_id,
            crew=crew,
        )
    return change.request


def add_note(*, request: ServiceRequest, note: str, actor: Actor, public: bool) -> TimelineEntry:
    """A note on the timeline: public ones are shown to residents and in the API; internal ones
    only to staff."""
    problems: list[Problem] = []
    note = clean_note(note, required=True, problems=problems)
    if problems:
        raise InvalidInput(problems)
    with transition(
        request, actor=actor, verb=Verb.NOTE, problems=problems, open_only=False
    ) as change:
        shown: dict[str, Any] = {"status_notes": note} if public else {}
        return change.commit(TimelineType.NOTE_ADDED, note=note, public=public, **shown)


def _new_department(department_code: str, problems: list[Problem]) -> Department | None:
    department = (
        Department.objects.filter(code=department_code).first() if department_code else None
    )
    if department_code and department is None:
        problems.append(
            Problem(
                "department.unknown",
                "department",
                _("There is no department “%(code)s”.") % {"code": department_code[:32]},
            )
        )
    return department


def _rerouting(
    request: ServiceRequest, service: Service | None, department: Department | None
) -> dict[str, Any]:
    """The fields a reroute changes. A new service with no department named goes where the
    new service's routing sends it."""
    changes: dict[str, Any] = {}
    if service is not None and service.pk != request.service_id:
        changes["service"] = service
        changes["expected_at"] = expected_completion(
            service=service, requested_at=request.requested_at
        )
        if department is None:
            location = Location(
                inside_city=True,
                ward=request.ward,
                community_area=request.community_area,
                zipcode=request.zipcode,
            )
            department = route(service=service, location=location).department
    if department is not None and department.pk != request.department_id:
        changes["department"] = department
    return changes


def reroute(
    *,
    request: ServiceRequest,
    actor: Actor,
    reason: str,
    service_code: str = "",
    department_code: str = "",
) -> ServiceRequest:
    """Send a request to another service and/or department, keeping its number and history."""
    problems: list[Problem] = []
    reason = clean_note(reason, required=True, problems=problems)
    new_service = check_service(service_code, problems) if service_code else None
    new_department = _new_department(department_code, problems)
    if not service_code and not department_code:
        problems.append(
            Problem(
                "reroute.nothing", "department", _("Name the service or department it goes to.")
            )
        )
    with transition(request, actor=actor, verb=Verb.REROUTE, problems=problems) as change:
        current = change.request
        changes = _rerouting(current, new_service, new_department)
        change.unchanged_if(
            not changes, Problem("reroute.unchanged", "department", _("It is already there."))
        )
        service = changes.get("service", current.service)
        department = changes.get("department", current.department)
        change.commit(
            TimelineType.REROUTED,
            note=reason,
            data={
                "from": {
                    "service": current.service.service_code,
                    "department": current.department.code,
                },
                "to": {"service": service.service_code, "department": department.code},
            },
            status_notes=reason,
            **changes,
        )
    return change.request


def merge(
    *, request: ServiceRequest, into: ServiceRequest, actor: Actor, note: str = ""
) -> ServiceRequest:
    """Close `request` as a duplicate of `into` (or of the request `into` is itself a duplicate
    of). Its followers move to the parent (see notifications)."""
    problems: list[Problem] = []
    note = clean_note(note, required=False, problems=problems)
    with transition(request, actor=actor, verb=Verb.MERGE, problems=problems) as change:
        child = change.request
        parent = selectors.root_of(lock(into))
        if parent.pk == child.pk:
            change.problems.append(
                Problem("merge.self", "parent", _("A request cannot be a duplicate of itself."))
            )
        elif parent.is_closed:
            change.problems.append(
                Problem(
                    "merge.parent_closed",
                    "parent",
                    _("%(number)s is closed; merge into an open request.")
                    % {"number": parent.tracking_number},
                )
            )
        change.commit(
            TimelineType.MERGED,
            note=note,
            data={"parent": parent.tracking_number},
            status=Status.CLOSED_DUPLICATE,
            parent=parent,
            closed_at=change.at,
            status_notes=note or _("Duplicate of %(number)s.") % {"number": parent.tracking_number},
        )
        touch(parent, change.at)
        record(
            parent,
            TimelineType.DUPLICATE_ATTACHED,
            actor,
            at=change.at,
            data={"duplicate": child.tracking_number},
        )
    return change.request
