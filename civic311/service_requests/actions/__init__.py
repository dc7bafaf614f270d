"""Every change to a service request, from every channel (DESIGN.md, "One path for every change").

Each action checks everything first and raises a DomainError carrying every problem found, then
writes in one short transaction: the request, one timeline entry per request touched, and the
outbox task that notifies about it. Nothing else in the code base writes these models. One
module per workflow:

- `preview`: one look at a submission before it is stored (every problem, the nearby offer),
  with `checks` (service, description, contact, media URL) and `places` (where it is);
- `submission`: storing a new request (`submit_request`, or `submit_previewed`);
- `lifecycle`: open statuses, scheduling, closing, reopening;
- `work`: assigning, notes, rerouting, merging;
- `records`: the one way a stored request changes (`transition`) and its timeline entries;
- `actor`: who acts.

Callers import this package: `from civic311.service_requests import actions`.
"""

from civic311.service_requests.actions.actor import Actor
from civic311.service_requests.actions.checks import MAX_DESCRIPTION, Contact, load_service
from civic311.service_requests.actions.lifecycle import change_status, close, reopen, schedule
from civic311.service_requests.actions.places import MAX_ADDRESS, Place, locate_place
from civic311.service_requests.actions.preview import Preview, preview_submission
from civic311.service_requests.actions.records import MAX_NOTE
from civic311.service_requests.actions.submission import (
    Submission,
    submit_previewed,
    submit_request,
)
from civic311.service_requests.actions.work import MAX_CREW, add_note, assign, merge, reroute

__all__ = [
    "MAX_ADDRESS",
    "MAX_CREW",
    "MAX_DESCRIPTION",
    "MAX_NOTE",
    "Actor",
    "Contact",
    "Place",
    "Preview",
    "Submission",
    "add_note",
    "assign",
    "change_status",
    "close",
    "load_service",
    "locate_place",
    "merge",
    "preview_submission",
    "reopen",
    "reroute",
    "schedule",
    "submit_previewed",
    "submit_request",
]
