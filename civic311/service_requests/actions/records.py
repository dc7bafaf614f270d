"""The writes of an existing request and of every timeline entry, and the one way a change to
a request is made (`transition`).

Every action on a stored request (a status change, a closure, a note, a merge …) runs the same
sequence: in one transaction, the request re-read and locked, the permission judged on it as it
is now, a closed request refused, the action's own checks, then one save and one timeline entry
(with its outbox task). `transition` is that sequence, so an action only says what it checks and
what it changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from civic311.lib import clock
from civic311.lib.errors import InvalidInput, Problem
from civic311.notifications.outbox import enqueue_event
from civic311.service_requests import permissions
from civic311.service_requests.actions.actor import Actor
from civic311.service_requests.actions.checks import too_long
from civic311.service_requests.models import ServiceRequest, TimelineEntry
from civic311.service_requests.permissions import Verb

MAX_NOTE = 4000


def record(
    request: ServiceRequest,
    type: str,
    actor: Actor,
    *,
    note: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> TimelineEntry:
    """One timeline entry, and the outbox task that notifies about it (same transaction)."""
    entry = TimelineEntry.objects.create(
        request=request,
        type=type,
        at=at or clock.now(),
        actor_id=actor.user_id,
        actor_label=actor.label[:200],
        public=public,
        note=note,
        # The status after this entry, so any entry (a note too) tells where the request stood.
        data={**(data or {}), "status": request.status},
    )
    enqueue_event(entry.pk)
    return entry


def lock(request: ServiceRequest) -> ServiceRequest:
    """The request re-read inside the transaction, locked against concurrent changes."""
    return (
        ServiceRequest.objects.select_for_update()
        .select_related("service", "department")
        .get(pk=request.pk)
    )


def touch(request: ServiceRequest, at: datetime) -> None:
    """Mark a request changed without changing it (a duplicate was attached to it)."""
    ServiceRequest.objects.filter(pk=request.pk).update(updated_at=at)


def clean_note(note: str, *, required: bool, problems: list[Problem]) -> str:
    note = (note or "").strip()
    if required and not note:
        problems.append(Problem("note.required", "note", _("Please explain, in a note.")))
    if len(note) > MAX_NOTE:
        problems.append(too_long("note.too_long", "note", MAX_NOTE))
    return note


def closed_problem(request: ServiceRequest) -> Problem:
    return Problem(
        "request.closed",
        "status",
        _("Request %(number)s is closed; reopen it first.") % {"number": request.tracking_number},
    )


@dataclass
class Transition:
    """A change under way to one locked request: the checks made on it, then its one write."""

    request: ServiceRequest
    actor: Actor
    at: datetime
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False

    def unchanged_if(self, condition: bool, problem: Problem) -> None:
        """Say that nothing would change only when nothing else is wrong: that is what to fix."""
        if condition and not self.problems:
            self.problems.append(problem)

    def commit(
        self,
        type: str,
        *,
        note: str = "",
        public: bool = True,
        data: dict[str, Any] | None = None,
        **changes: Any,
    ) -> TimelineEntry:
        """Refuse with every problem found, or set `changes` on the request, save them and
        record the timeline entry `type`."""
        if self.problems:
            raise InvalidInput(self.problems)
        for name, value in changes.items():
            setattr(self.request, name, value)
        self.request.updated_at = self.at
        self.request.save(update_fields=[*changes, "updated_at"])
        self.committed = True
        return record(
            self.request, type, self.actor, note=note, public=public, data=data, at=self.at
        )


@contextmanager
def transition(
    request: ServiceRequest,
    *,
    actor: Actor,
    verb: Verb,
    problems: list[Problem],
    open_only: bool = True,
) -> Iterator[Transition]:
    """The one way a stored request changes. `problems` are those found before the lock (a
    missing note); `open_only=False` is for changes that closed requests take too (a note, a
    reopening). The body adds its own checks to `change.problems` and ends with
    `change.commit(...)`, which raises InvalidInput when anything is wrong."""
    with transaction.atomic():
        locked = lock(request)
        permissions.check(actor.user, verb, locked)
        change = Transition(request=locked, actor=actor, at=clock.now(), problems=problems)
        if open_only and locked.is_closed:
            change.problems.append(closed_problem(locked))
        yield change
        if not change.committed:
            raise RuntimeError("a transition ended without commit()")
