"""Where a request stands: moved between open statuses, scheduled, closed with a reason,
reopened. Each goes through records.transition."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from civic311.choices import Status, TimelineType
from civic311.departments.routing import expected_completion
from civic311.lib import clock
from civic311.lib.errors import Problem
from civic311.service_requests.actions.actor import Actor
from civic311.service_requests.actions.records import clean_note, transition
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.permissions import Verb


def change_status(
    *, request: ServiceRequest, status: str, actor: Actor, note: str = ""
) -> ServiceRequest:
    """Move an open request to another open status (acknowledged, in progress, scheduled)."""
    problems: list[Problem] = []
    note = clean_note(note, required=False, problems=problems)
    if status not in Status.open_values():
        problems.append(
            Problem(
                "status.invalid",
                "status",
                _("Use close() for closing statuses; “%(status)s” is not an open status.")
                % {"status": status},
            )
        )
    with transition(request, actor=actor, verb=Verb.WORK, problems=problems) as change:
        previous = change.request.status
        change.unchanged_if(
            previous == status,
            Problem("status.unchanged", "status", _("The request already has this status.")),
        )
        notes: dict[str, Any] = {"status_notes": note} if note else {}
        change.commit(
            TimelineType.STATUS_CHANGED,
            note=note,
            data={"from": previous, "to": status},
            status=status,
            **notes,
        )
    return change.request


def close(*, request: ServiceRequest, status: str, actor: Actor, note: str = "") -> ServiceRequest:
    """Close with a reason. Not fixed and referred need a note saying why or to whom; duplicates
    are closed with merge()."""
    problems: list[Problem] = []
    explanation_needed = status in (Status.CLOSED_NOT_FIXED, Status.CLOSED_REFERRED)
    note = clean_note(note, required=explanation_needed, problems=problems)
    if status == Status.CLOSED_DUPLICATE:
        problems.append(
            Problem("status.use_merge", "status", _("Merge a duplicate into its parent request."))
        )
    elif status not in Status.closed_values():
        problems.append(
            Problem(
                "status.invalid",
                "status",
                _("“%(status)s” is not a closing status.") % {"status": status},
            )
        )
    with transition(request, actor=actor, verb=Verb.WORK, problems=problems) as change:
        change.commit(
            TimelineType.CLOSED,
            note=note,
            data={"from": change.request.status, "to": status},
            status=status,
            closed_at=change.at,
            status_notes=note,
        )
    return change.request


def schedule(
    *, request: ServiceRequest, actor: Actor, when: datetime, note: str = ""
) -> ServiceRequest:
    """Book the work for a moment (aware; not in the past): the request becomes scheduled and
    the resident is told when."""
    problems: list[Problem] = []
    note = clean_note(note, required=False, problems=problems)
    if when.tzinfo is None:
        raise ValueError("schedule() needs an aware datetime")
    if when < clock.now() - timedelta(hours=1):
        problems.append(
            Problem("schedule.past", "scheduled_for", _("Pick a time that has not passed."))
        )
    with transition(request, actor=actor, verb=Verb.WORK, problems=problems) as change:
        current = change.request
        change.unchanged_if(
            (current.status, current.scheduled_for) == (Status.SCHEDULED, when),
            Problem("schedule.unchanged", "scheduled_for", _("It is already booked then.")),
        )
        notes: dict[str, Any] = {"status_notes": note} if note else {}
        change.commit(
            TimelineType.SCHEDULED,
            note=note,
            data={"from": current.status, "to": Status.SCHEDULED, "for": when.isoformat()},
            status=Status.SCHEDULED,
            scheduled_for=when,
            **notes,
        )
    return change.request


def reopen(*, request: ServiceRequest, actor: Actor, note: str) -> ServiceRequest:
    """Open a closed request again (the fix did not hold). A reopened duplicate stands alone."""
    problems: list[Problem] = []
    note = clean_note(note, required=True, problems=problems)
    with transition(
        request, actor=actor, verb=Verb.REOPEN, problems=problems, open_only=False
    ) as change:
        current = change.request
        if not current.is_closed:
            change.problems.append(
                Problem("request.open", "status", _("The request is not closed."))
            )
        former_parent = current.parent
        change.commit(
            TimelineType.REOPENED,
            note=note,
            data={
                "from": current.status,
                "to": Status.OPEN,
                "former_parent": former_parent.tracking_number if former_parent else None,
            },
            status=Status.OPEN,
            closed_at=None,
            parent=None,
            status_notes=note,
            expected_at=expected_completion(service=current.service, requested_at=change.at),
        )
    return change.request
