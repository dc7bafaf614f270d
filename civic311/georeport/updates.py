"""mySociety's `servicerequestupdates` extension: back-office systems and FixMyStreet-style
clients pull status updates (GET) and push them (POST), through the same actions as staff."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from civic311.apikeys.models import ApiKey
from civic311.apikeys.selectors import usable_key
from civic311.choices import Status, TimelineType
from civic311.georeport import views
from civic311.georeport.models import ExternalUpdate
from civic311.georeport.params import Reader
from civic311.lib import clock, formats
from civic311.lib.api import presented_key, query_params
from civic311.lib.dates import w3c
from civic311.lib.errors import InvalidInput, NotFound, NotPermitted, Problem
from civic311.lib.params import single_values
from civic311.lib.ratelimit import check_rate
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest, TimelineEntry

# Our status -> the extended status set FixMyStreet and its back-office peers use.
TO_EXTERNAL = {
    Status.OPEN: "OPEN",
    Status.ACKNOWLEDGED: "INVESTIGATING",
    Status.IN_PROGRESS: "IN_PROGRESS",
    Status.SCHEDULED: "ACTION_SCHEDULED",
    Status.CLOSED_FIXED: "FIXED",
    Status.CLOSED_NOT_FIXED: "NO_FURTHER_ACTION",
    Status.CLOSED_DUPLICATE: "DUPLICATE",
    Status.CLOSED_REFERRED: "NOT_COUNCILS_RESPONSIBILITY",
}
FROM_EXTERNAL = {
    "OPEN": Status.OPEN,
    "INVESTIGATING": Status.ACKNOWLEDGED,
    "IN_PROGRESS": Status.IN_PROGRESS,
    "ACTION_SCHEDULED": Status.SCHEDULED,
    "FIXED": Status.CLOSED_FIXED,
    "CLOSED": Status.CLOSED_FIXED,
    "NO_FURTHER_ACTION": Status.CLOSED_NOT_FIXED,
    "UNABLE_TO_FIX": Status.CLOSED_NOT_FIXED,
    "WONT_FIX": Status.CLOSED_NOT_FIXED,
    "NOT_COUNCILS_RESPONSIBILITY": Status.CLOSED_REFERRED,
}
DEFAULT_WINDOW = timedelta(days=1)


def _update(entry: TimelineEntry, media_url: str | None = None) -> dict[str, Any]:
    status = entry.data.get("status", entry.request.status)
    return {
        "update_id": str(entry.pk),
        "service_request_id": entry.request.tracking_number,
        "status": TO_EXTERNAL.get(status, "OPEN"),
        "updated_datetime": w3c(entry.at),
        "description": entry.note or None,
        "media_url": media_url,
    }


@views.open311("GET", "POST")
def service_request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post(request, fmt)
    params = query_params(request)
    views.check_jurisdiction(params)
    read = Reader(params)
    start, end = read.datetime("start_date"), read.datetime("end_date")
    if read.problems:
        raise InvalidInput(read.problems)
    end = end or timezone.now()
    start = start or end - DEFAULT_WINDOW
    if end - start > timedelta(days=90) or end < start:
        raise InvalidInput(
            [Problem("date_range.invalid", "end_date", _("Ask for at most 90 days at a time."))]
        )
    entries = (
        TimelineEntry.objects.filter(public=True, at__gte=start, at__lte=end)
        .exclude(type=TimelineType.OPENED)
        .filter(request__is_test=False)
        .select_related("request")
        .order_by("at", "id")[:1000]
    )
    return formats.render(fmt, "service_request_updates", [_update(e) for e in entries])


def _apply(key: ApiKey, target: ServiceRequest, status: str, note: str) -> TimelineEntry | None:
    actor = actions.Actor.app(key.app_name)
    if Status.is_closed(status):
        if target.is_closed and target.status == status:
            status = ""  # nothing to change: keep the note, below
        else:
            if target.is_closed:
                actions.reopen(request=target, actor=actor, note=note or _("Reopened."))
            explanation = note or _("Closed by %(app)s.") % {"app": key.app_name}
            actions.close(request=target, status=status, actor=actor, note=explanation)
            return target.timeline.order_by("-id").first()
    elif status:
        if target.is_closed:
            actions.reopen(request=target, actor=actor, note=note or _("Reopened."))
            target.refresh_from_db()
        if target.status != status:
            actions.change_status(request=target, status=status, actor=actor, note=note)
            return target.timeline.order_by("-id").first()
    if note:
        return actions.add_note(request=target, note=note, actor=actor, public=True)
    return None


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    params = single_values(request.POST)
    key = usable_key(presented_key(request, params))
    if not key.can_post_updates:
        raise NotPermitted(
            [Problem("api_key.no_updates", "api_key", _("This api_key may not post updates."))]
        )
    check_rate("post", str(key.pk), key.posts_per_minute or 600)
    views.check_jurisdiction(params)
    read = Reader(params)
    problems = read.problems
    number = params.get("service_request_id", "")
    external_id = params.get("update_id", "")
    raw_status = params.get("status", "").upper()
    when = read.datetime("updated_datetime")
    note = params.get("description", "")
    if not number:
        problems.append(Problem("field.missing", "service_request_id", _("Required.")))
    if not external_id:
        problems.append(Problem("field.missing", "update_id", _("Required.")))
    elif len(external_id) > 100:
        problems.append(Problem("field.too_long", "update_id", _("At most 100 characters.")))
    if raw_status == "DUPLICATE":
        problems.append(
            Problem("status.duplicate", "status", _("Merge duplicates in the staff console."))
        )
    elif raw_status and raw_status not in FROM_EXTERNAL:
        problems.append(
            Problem(
                "status.invalid",
                "status",
                _("Unknown status; use one of %(list)s.") % {"list": ", ".join(FROM_EXTERNAL)},
            )
        )
    if not raw_status and not note:
        problems.append(Problem("field.missing", "status", _("Send a status or a description.")))
    if problems:
        raise InvalidInput(problems)
    target = ServiceRequest.objects.filter(tracking_number=number, is_test=key.is_test).first()
    if target is None:
        raise NotFound([Problem("request.not_found", "service_request_id", _("No such request."))])
    earlier = ExternalUpdate.objects.filter(api_key=key, update_id=external_id).first()
    if earlier is None:
        # The back office's own time, but never in the future, nor before what is already on
        # the timeline (the timeline must read in order).
        moment = max(min(when or timezone.now(), timezone.now()), target.updated_at)
        with transaction.atomic(), clock.at(moment):
            entry = _apply(key, target, FROM_EXTERNAL.get(raw_status, ""), note)
            if entry is None:
                raise InvalidInput(
                    [
                        Problem(
                            "update.no_change", "status", _("The request already has this status.")
                        )
                    ]
                )
            ExternalUpdate.objects.create(api_key=key, update_id=external_id, entry=entry)
    else:
        entry = earlier.entry
    return formats.render(
        fmt, "service_request_updates", [{"update_id": str(entry.pk)}], status=200
    )
