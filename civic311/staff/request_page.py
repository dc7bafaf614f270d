"""The request page: everything about one request (answers, photos, map with nearby requests,
the full timeline, duplicates), and the work actions the user's role allows.

Each action is a POST to `/staff/requests/<number>/<action>/`, checked by its form, done by
service_requests/actions.py (which checks the permission again), then redirected back to the
page; a refusal shows the page again with the reason, nothing stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civic311.catalog.cache import catalog
from civic311.catalog.models import Service
from civic311.choices import Channel, Status, TimelineType
from civic311.departments.models import Department
from civic311.lib.errors import DomainError, NotFound, NotPermitted, Problem
from civic311.media.selectors import photo_urls
from civic311.messaging.selectors import transcript_for
from civic311.service_requests import actions, permissions, selectors
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import ReporterContact, ServiceRequest, TimelineEntry
from civic311.service_requests.permissions import Verb
from civic311.service_requests.sla import sla_state
from civic311.staff.access import (
    colleagues,
    get_request_for_staff,
    role,
    staff_user,
    staff_view,
)
from civic311.staff.work_forms import (
    AssignForm,
    CloseForm,
    MergeForm,
    NoteForm,
    ReopenForm,
    RerouteForm,
    ScheduleForm,
    StatusForm,
    templates_for,
)

NEARBY_RADIUS_M = 250
NEARBY_LIMIT = 10
DUPLICATES_SHOWN = 50


def _get(user: Any, number: str) -> ServiceRequest:
    try:
        return get_request_for_staff(user, number)
    except NotFound as error:
        raise Http404(error.problems[0].message) from error


def page_url(sr: ServiceRequest) -> str:
    return reverse("staff:request", kwargs={"number": sr.tracking_number})


# --- Reading -------------------------------------------------------------------------------


def _answers(sr: ServiceRequest) -> list[tuple[str, str]]:
    """(question, answer) in the service's order, with list keys shown by their names."""
    service = catalog.service(sr.service.service_code)
    shown: list[tuple[str, str]] = []
    attributes = list(service.attributes.all()) if service is not None else []
    known = set()
    for attribute in sorted(attributes, key=lambda a: (a.order, a.pk)):
        known.add(attribute.code)
        if attribute.code not in sr.answers:
            continue
        names = {v.key: v.name for v in attribute.values.all()}
        value = sr.answers[attribute.code]
        values = value if isinstance(value, list) else [value]
        shown.append((attribute.description, ", ".join(names.get(str(v), str(v)) for v in values)))
    # Answers to questions the service no longer asks (or asked before a reroute).
    shown += [(code, str(value)) for code, value in sr.answers.items() if code not in known]
    return shown


def _entry_text(entry: TimelineEntry, departments: dict[str, str], zone: ZoneInfo) -> str:
    data: dict[str, Any] = entry.data if isinstance(entry.data, dict) else {}

    def status(value: Any) -> str:
        return str(Status(value).label) if value in Status.values else str(value or "")

    kind = entry.type
    if kind == TimelineType.OPENED:
        channel = data.get("channel")
        label = Channel(channel).label if channel in Channel.values else channel
        return _("Received (%(channel)s)") % {"channel": label}
    if kind in (TimelineType.STATUS_CHANGED, TimelineType.CLOSED, TimelineType.REOPENED):
        return _("Status: %(from)s → %(to)s") % {
            "from": status(data.get("from")),
            "to": status(data.get("to")),
        }
    if kind == TimelineType.SCHEDULED:
        try:
            when = datetime.fromisoformat(str(data.get("for"))).astimezone(zone)
        except ValueError:
            return _("Scheduled")
        return _("Scheduled for %(when)s") % {"when": when.strftime("%Y-%m-%d %H:%M")}
    if kind == TimelineType.ASSIGNED:
        target = data.get("to") if isinstance(data.get("to"), dict) else {}
        who = [str(data.get("assignee_name") or ""), str((target or {}).get("crew") or "")]
        named = " · ".join(w for w in who if w)
        return _("Assigned to %(who)s") % {"who": named} if named else _("Unassigned")
    if kind == TimelineType.REROUTED:
        before = data.get("from") if isinstance(data.get("from"), dict) else {}
        after = data.get("to") if isinstance(data.get("to"), dict) else {}

        def where(side: dict[str, Any]) -> str:
            code = str(side.get("department", ""))
            return f"{departments.get(code, code)} / {side.get('service', '')}"

        return _("Rerouted: %(from)s → %(to)s") % {
            "from": where(before or {}),
            "to": where(after or {}),
        }
    if kind == TimelineType.MERGED:
        return _("Merged as a duplicate of")
    if kind == TimelineType.DUPLICATE_ATTACHED:
        return _("Duplicate attached:")
    return str(entry.get_type_display())


def _timeline(sr: ServiceRequest, internal: bool) -> list[dict[str, Any]]:
    entries = TimelineEntry.objects.filter(request=sr).select_related("actor").order_by("at", "id")
    if not internal:
        entries = entries.filter(public=True)
    rows = list(entries)
    codes = set()
    for entry in rows:
        if entry.type == TimelineType.REROUTED and isinstance(entry.data, dict):
            for side in ("from", "to"):
                if isinstance(entry.data.get(side), dict):
                    codes.add(str(entry.data[side].get("department", "")))
    departments = selectors.department_names(codes)
    zone = ZoneInfo(settings.CITY_TIME_ZONE)
    return [
        {
            "entry": entry,
            "text": _entry_text(entry, departments, zone),
            "number": str(
                entry.data.get("parent") or entry.data.get("duplicate") or ""
                if isinstance(entry.data, dict)
                else ""
            ),
            "who": (entry.actor.get_full_name() or entry.actor.get_username())
            if internal and entry.actor is not None
            else "",
        }
        for entry in rows
    ]


def _forms(
    sr: ServiceRequest, people: list[tuple[int, str]], bound: dict[str, forms.Form]
) -> dict[str, forms.Form]:
    templates = templates_for(sr)
    services = [
        (s.service_code, s.service_name)
        for s in Service.objects.filter(active=True).order_by("service_name")
    ]
    departments = [(d.code, d.name) for d in Department.objects.order_by("name")]
    made: dict[str, forms.Form] = {
        "status": StatusForm(templates=templates),
        "close": CloseForm(templates=templates),
        "schedule": ScheduleForm(templates=templates),
        "assign": AssignForm(
            people=people,
            initial={"assignee": sr.assignee_id, "crew": sr.crew},
        ),
        "note": NoteForm(),
        "reroute": RerouteForm(services=services, departments=departments),
        "merge": MergeForm(),
        "reopen": ReopenForm(),
    }
    made.update(bound)
    return made


def _page(
    request: HttpRequest,
    sr: ServiceRequest,
    *,
    bound: dict[str, forms.Form] | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    me = role(request)
    internal = permissions.allowed(user, Verb.SEE_INTERNAL, sr)
    can = {verb.value: permissions.allowed(user, verb, sr) for verb in Verb}
    prefetch_related_objects([sr], "photos")
    images, thumbnails = photo_urls(sr), photo_urls(sr, thumbnails=True)
    nearby = (
        selectors.open_requests_nearby(
            lat=sr.lat, long=sr.long, radius_m=NEARBY_RADIUS_M, exclude_id=sr.pk, limit=NEARBY_LIMIT
        )
        if not sr.is_closed or sr.parent_id is None
        else []
    )
    duplicates = list(
        ServiceRequest.objects.filter(parent=sr)
        .select_related("service")
        .order_by("requested_at")[:DUPLICATES_SHOWN]
    )
    people = colleagues(me) if can["work"] else []
    now = timezone.now()
    context = {
        "sr": sr,
        "role": me,
        "can": can,
        "internal": internal,
        "contact": ReporterContact.objects.filter(request=sr).first() if internal else None,
        "answers": _answers(sr),
        "photos": list(
            zip(thumbnails if len(thumbnails) == len(images) else images, images, strict=False)
        ),
        "timeline": _timeline(sr, internal),
        "duplicates": duplicates,
        "nearby": nearby,
        "map_points": [
            {"lat": n.request.lat, "long": n.request.long, "number": n.request.tracking_number}
            for n in nearby
        ],
        "sla": sla_state(sr, now) if not sr.is_closed else "",
        "forms": _forms(sr, people, bound or {}) if any(can.values()) else {},
        "refusal": refusal,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        "is_sms": sr.channel == Channel.SMS,
        # The conversation holds the resident's number and words: internal, like the contact.
        "sms_transcript": transcript_for(sr) if internal and sr.channel == Channel.SMS else [],
        "city_time_zone": ZoneInfo(settings.CITY_TIME_ZONE),
    }
    return render(request, "staff/request.html", context, status=status)


@require_GET
@staff_view()
def request_page(request: HttpRequest, number: str) -> HttpResponse:
    return _page(request, _get(request.user, number))


# --- Working -------------------------------------------------------------------------------


def _prepare(
    action: str, post: Any, sr: ServiceRequest, actor: Actor, people: list[tuple[int, str]]
) -> tuple[forms.Form, Callable[[], Any], str]:
    """The action's form bound to the POST, doing it (once the form is valid), and the message
    on success."""
    if action == "acknowledge":
        plain = forms.Form(post)
        return (
            plain,
            lambda: actions.change_status(request=sr, status=Status.ACKNOWLEDGED, actor=actor),
            _("Acknowledged."),
        )
    if action == "status":
        status = StatusForm(post, templates=templates_for(sr))
        return (
            status,
            lambda: actions.change_status(
                request=sr,
                status=status.cleaned_data["status"],
                actor=actor,
                note=status.the_note(),
            ),
            _("Status set."),
        )
    if action == "close":
        closing = CloseForm(post, templates=templates_for(sr))
        return (
            closing,
            lambda: actions.close(
                request=sr,
                status=closing.cleaned_data["status"],
                actor=actor,
                note=closing.the_note(),
            ),
            _("Closed."),
        )
    if action == "schedule":
        booking = ScheduleForm(post, templates=templates_for(sr))
        return (
            booking,
            lambda: actions.schedule(
                request=sr, actor=actor, when=booking.booked_for(), note=booking.the_note()
            ),
            _("Scheduled."),
        )
    if action == "assign":
        assigning = AssignForm(post, people=people)

        def assign() -> Any:
            chosen = assigning.cleaned_data.get("assignee")
            person = get_user_model().objects.filter(pk=chosen).first() if chosen else None
            return actions.assign(
                request=sr,
                actor=actor,
                assignee=person,
                crew=assigning.cleaned_data.get("crew") or "",
                note=assigning.cleaned_data.get("note") or "",
            )

        return assigning, assign, _("Assignment saved.")
    if action == "note":
        noting = NoteForm(post)
        return (
            noting,
            lambda: actions.add_note(
                request=sr,
                note=noting.cleaned_data["note"],
                actor=actor,
                public=bool(noting.cleaned_data.get("public")),
            ),
            _("Note added."),
        )
    if action == "reroute":
        services = [(s.service_code, s.service_name) for s in Service.objects.filter(active=True)]
        departments = [(d.code, d.name) for d in Department.objects.all()]
        moving = RerouteForm(post, services=services, departments=departments)
        return (
            moving,
            lambda: actions.reroute(
                request=sr,
                actor=actor,
                reason=moving.cleaned_data["reason"],
                service_code=moving.cleaned_data.get("service") or "",
                department_code=moving.cleaned_data.get("department") or "",
            ),
            _("Rerouted."),
        )
    if action == "merge":
        merging = MergeForm(post)

        def merge() -> Any:
            typed = merging.cleaned_data["into"]
            parent = selectors.find_by_typed_number(typed)
            if parent is None:
                message = _("There is no request %(number)s.") % {"number": typed}
                raise NotFound([Problem("request.unknown", "into", message)])
            return actions.merge(
                request=sr, into=parent, actor=actor, note=merging.cleaned_data.get("note") or ""
            )

        return merging, merge, _("Merged.")
    if action == "reopen":
        reopening = ReopenForm(post)
        return (
            reopening,
            lambda: actions.reopen(request=sr, actor=actor, note=reopening.cleaned_data["note"]),
            _("Reopened."),
        )
    raise Http404


@require_POST
@staff_view()
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    sr = _get(request.user, number)
    people = colleagues(role(request)) if action == "assign" else []
    form, run, success = _prepare(
        action, request.POST, sr, Actor.staff(staff_user(request)), people
    )
    if not form.is_valid():
        return _page(request, sr, bound={action: form}, status=400)
    try:
        run()
    except NotPermitted as error:
        return _page(
            request,
            _get(request.user, number),
            refusal=" ".join(p.message for p in error.problems),
            status=403,
        )
    except DomainError as error:
        for problem in error.problems:
            form.add_error(None, problem.message)
        return _page(request, _get(request.user, number), bound={action: form}, status=400)
    messages.success(request, success)
    return redirect(page_url(sr))
