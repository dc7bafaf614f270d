"""One change applied to many requests picked in the queue: each request goes through its own
action (its own transaction, its own timeline entry and notification), so one refusal does not
undo the others, and the user is told the outcome of every one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from civic311.lib.errors import DomainError
from civic311.service_requests import actions
from civic311.service_requests.actions import Actor
from civic311.staff.access import get_requests_for_staff
from civic311.staff.forms import BulkForm


@dataclass(frozen=True)
class Outcome:
    number: str
    done: bool
    message: str
    known: bool = True


def apply(*, user: Any, data: dict[str, Any]) -> list[Outcome]:
    """Apply a valid BulkForm's change to each of its requests, in the order they were picked."""
    numbers: list[str] = data["number"]
    found = get_requests_for_staff(user, numbers)
    actor = Actor.staff(user)
    assignee = None
    if data["action"] == BulkForm.ASSIGN and data.get("assignee") is not None:
        assignee = get_user_model().objects.filter(pk=data["assignee"]).first()
    outcomes = []
    for number in numbers:
        request = found.get(number)
        if request is None:
            outcomes.append(Outcome(number, False, _("There is no such request."), known=False))
            continue
        try:
            if data["action"] == BulkForm.ASSIGN:
                actions.assign(
                    request=request, actor=actor, assignee=assignee, crew=data.get("crew") or ""
                )
                message = _("Assigned.")
            elif data["action"] == BulkForm.STATUS:
                actions.change_status(
                    request=request, status=data["status"], actor=actor, note=data["note"]
                )
                message = _("Status set.")
            else:
                actions.close(
                    request=request, status=data["close_status"], actor=actor, note=data["note"]
                )
                message = _("Closed.")
        except DomainError as error:
            outcomes.append(Outcome(number, False, " ".join(p.message for p in error.problems)))
        else:
            outcomes.append(Outcome(number, True, message))
    return outcomes
