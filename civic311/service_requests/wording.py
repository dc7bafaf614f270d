"""A request's public history and status in plain words, for every channel that tells a resident
where a request stands: the tracking page and its feeds, the call-center desk reading it aloud.

Only public timeline entries are read, and only what the public may see is put in a sentence:
the kind of change, the department, and the note staff wrote for the public. Never the actor
(a staff member's name stays in the audit log) nor anything from the reporter's contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from civic311.choices import Status, TimelineType
from civic311.service_requests import selectors
from civic311.service_requests.models import ServiceRequest, TimelineEntry


@dataclass(frozen=True)
class Line:
    """One public event: `text`, then (when it names another request) that request's number,
    which the page links to its own tracking page."""

    id: int
    at: datetime
    text: str
    number: str = ""
    note: str = ""

    @property
    def plain(self) -> str:
        """The whole sentence as text (feed titles)."""
        sentence = f"{self.text} {self.number}" if self.number else self.text
        return f"{sentence}: {self.note}" if self.note else sentence


def _status_sentence(status: str, *, closing: bool) -> str:
    """What a change to `status` is called on the public timeline."""
    sentences: dict[str, str] = {
        Status.OPEN: _("Reopened"),
        Status.ACKNOWLEDGED: _("Acknowledged"),
        Status.IN_PROGRESS: _("Work started"),
        Status.SCHEDULED: _("Work scheduled"),
        Status.CLOSED_FIXED: _("Closed: completed"),
        Status.CLOSED_NOT_FIXED: _("Closed: not fixed"),
        Status.CLOSED_REFERRED: _("Closed: referred to another agency"),
        Status.CLOSED_DUPLICATE: _("Closed as a duplicate"),
    }
    fallback = _("Closed") if closing else _("Status changed")
    return sentences.get(status, fallback)


def _local_day(value: Any) -> str:
    """A booked moment as the city reads it ("Tuesday, December 1, 2026")."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    local = moment.astimezone(ZoneInfo(settings.CITY_TIME_ZONE))
    return formats.date_format(local, "l, " + str(formats.get_format("DATE_FORMAT")))


def _department_codes(entries: Sequence[TimelineEntry]) -> set[str]:
    codes = set()
    for entry in entries:
        if entry.type == TimelineType.REROUTED:
            target = entry.data.get("to")
            if isinstance(target, dict) and isinstance(target.get("department"), str):
                codes.add(target["department"])
    return codes


def _line(entry: TimelineEntry, departments: dict[str, str]) -> Line:
    data: dict[str, Any] = entry.data if isinstance(entry.data, dict) else {}
    note = entry.note
    kind = entry.type
    if kind == TimelineType.OPENED:
        return Line(entry.pk, entry.at, _("Received"), note=note)
    if kind == TimelineType.STATUS_CHANGED:
        return Line(
            entry.pk, entry.at, _status_sentence(str(data.get("to")), closing=False), note=note
        )
    if kind == TimelineType.SCHEDULED:
        when = _local_day(data.get("for"))
        text = _("Work scheduled for %(day)s") % {"day": when} if when else _("Work scheduled")
        return Line(entry.pk, entry.at, text, note=note)
    if kind == TimelineType.REROUTED:
        target = data.get("to") if isinstance(data.get("to"), dict) else {}
        code = str(target.get("department", "")) if target else ""
        name = departments.get(code, "")
        text = _("Rerouted to %(department)s") % {"department": name} if name else _("Rerouted")
        return Line(entry.pk, entry.at, text, note=note)
    if kind == TimelineType.MERGED:
        return Line(
            entry.pk, entry.at, _("Marked as a duplicate of"), str(data.get("parent", "")), note
        )
    if kind == TimelineType.DUPLICATE_ATTACHED:
        return Line(
            entry.pk,
            entry.at,
            _("Someone reported the same problem again:"),
            str(data.get("duplicate", "")),
        )
    if kind == TimelineType.CLOSED:
        text = _status_sentence(str(data.get("to")), closing=True)
        # "Closed: completed — Filled the pothole."
        return Line(entry.pk, entry.at, f"{text} — {note}" if note else text)
    if kind == TimelineType.REOPENED:
        return Line(entry.pk, entry.at, _("Reopened"), note=note)
    if kind == TimelineType.NOTE_ADDED:
        return Line(entry.pk, entry.at, _("Update from the city"), note=note)
    return Line(entry.pk, entry.at, str(entry.get_type_display()), note=note)


def lines(entries: Sequence[TimelineEntry]) -> list[Line]:
    """Sentences for public entries, oldest first as given. One query at most (department
    names of reroutes), however long the timeline."""
    public = [entry for entry in entries if entry.public]
    departments = selectors.department_names(_department_codes(public))
    return [_line(entry, departments) for entry in public]


def request_lines(request: ServiceRequest) -> list[Line]:
    return lines(list(selectors.public_timeline(request)))


def status_sentence(request: ServiceRequest) -> str:
    """Where the request stands, in a sentence a resident understands."""
    department = request.department.name
    sentences: dict[str, str] = {
        Status.OPEN: _("We have received this request. %(department)s will look at it soon."),
        Status.ACKNOWLEDGED: _(
            "%(department)s has looked at this request and will schedule the work."
        ),
        Status.IN_PROGRESS: _("A crew from %(department)s is working on it."),
        Status.SCHEDULED: _("%(department)s has scheduled the work."),
        Status.CLOSED_FIXED: _("Done: %(department)s has completed the work."),
        Status.CLOSED_NOT_FIXED: _("Closed without a fix. The reason is in the history below."),
        Status.CLOSED_DUPLICATE: _(
            "Someone reported this problem before: follow the earlier request."
        ),
        Status.CLOSED_REFERRED: _("This is handled by another agency; the city has passed it on."),
    }
    sentence = sentences.get(request.status, str(request.get_status_display()))
    return sentence % {"department": department}
