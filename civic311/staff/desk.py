"""The call-center desk: one screen for a phone call.

Find what the caller is calling about (tracking number, address or phone number), read its
status aloud, log what the caller adds, or take a new request (channel = phone) after looking
for an open one of the same service nearby, and read the new tracking number back.
Keyboard-first: see static/staff/desk.js for the keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civic311.choices import Channel, Role
from civic311.lib.errors import DomainError, NotFound, NotPermitted
from civic311.service_requests import actions, permissions
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.permissions import Verb
from civic311.service_requests.wording import status_sentence
from civic311.staff import callers, intake
from civic311.staff.access import get_request_for_staff, staff_view

DESK_ROLES = (Role.OPERATOR,)


def spoken(number: str) -> str:
    """A tracking number the way it is read over the phone: "2-6, 0-0-0-1, 2-3-4-5"."""
    year, _dash, serial = number.partition("-")
    groups = [year, serial[:4], serial[4:]] if serial else [number]
    return ", ".join("-".join(group) for group in groups if group)


def _get(request: HttpRequest, number: str) -> ServiceRequest:
    try:
        return get_request_for_staff(request.user, number)
    except NotFound as error:
        raise Http404(error.problems[0].message) from error


@dataclass(frozen=True)
class Result:
    key: int  # the number key that opens it
    sr: ServiceRequest
    sentence: str  # the status, as read to the caller
    age_days: int
    distance_m: float | None = None


@dataclass(frozen=True)
class Section:
    title: str
    results: list[Result]


def sections(lookup: callers.Lookup) -> list[Section]:
    """What was found, in the order an operator needs it, each request once, numbered on."""
    groups: list[tuple[str, list[tuple[ServiceRequest, float | None]]]] = [
        (_("Tracking number"), [(lookup.by_number, None)] if lookup.by_number else []),
        (_("Reported from this phone number"), [(r, None) for r in lookup.by_phone]),
        (_("At this address, last 12 months"), [(r, None) for r in lookup.at_place]),
        (
            _("Open nearby, any service (within %(m)d m)") % {"m": callers.NEARBY_M},
            [(n.request, n.distance_m) for n in lookup.nearby],
        ),
    ]
    seen: set[int] = set()
    found: list[Section] = []
    now = timezone.now()
    key = 0
    for title, requests in groups:
        results = []
        for sr, distance in requests:
            if sr.pk in seen:
                continue
            seen.add(sr.pk)
            key += 1
            age = (now - sr.requested_at).days
            results.append(Result(key, sr, status_sentence(sr), age, distance))
        if results:
            found.append(Section(title, results))
    return found


def _desk_page(
    request: HttpRequest, text: str, *, error: str = "", status: int = 200
) -> HttpResponse:
    lookup = callers.look_up(text) if text.strip() else None
    new_query = {}
    if lookup is not None:
        if lookup.place is not None:
            new_query["address"] = lookup.place.address
        if lookup.phone:
            new_query["phone"] = lookup.phone
    one = lookup.by_number if lookup is not None else None
    return render(
        request,
        "staff/desk.html",
        {
            "lookup": lookup,
            "sections": sections(lookup) if lookup is not None else [],
            "one": one,
            "may_note": one is not None and permissions.allowed(request.user, Verb.NOTE, one),
            "noted": request.GET.get("noted") == "1",
            "error": error,
            "new_url": reverse("staff:desk-new")
            + ("?" + urlencode(new_query) if new_query else ""),
            "city_time_zone": settings.CITY_TIME_ZONE,
        },
        status=status,
    )


@require_GET
@staff_view(*DESK_ROLES)
def desk(request: HttpRequest) -> HttpResponse:
    return _desk_page(request, request.GET.get("q", ""))


@staff_view(*DESK_ROLES)
def new(request: HttpRequest) -> HttpResponse:
    return intake.page(
        request,
        channel=Channel.PHONE,
        taken=lambda sr: redirect("staff:desk-taken", number=sr.tracking_number),
    )


@require_GET
@staff_view(*DESK_ROLES)
def taken(request: HttpRequest, number: str) -> HttpResponse:
    """The new request's number, ready to be read back, and the desk ready for the next call."""
    found = _get(request, number)
    return render(
        request,
        "staff/desk_taken.html",
        {"sr": found, "sentence": status_sentence(found), "spoken": spoken(found.tracking_number)},
    )


@require_POST
@staff_view(*DESK_ROLES)
def note(request: HttpRequest, number: str) -> HttpResponse:
    """What the caller adds ("it is getting worse"), as an internal note on an open request."""
    found = _get(request, number)
    try:
        actions.add_note(
            request=found,
            note=request.POST.get("note", ""),
            actor=Actor.staff(request.user),  # type: ignore[arg-type]
            public=False,
        )
    except DomainError as error:
        message = " ".join(p.message for p in error.problems)
        status = 403 if isinstance(error, NotPermitted) else 400
        return _desk_page(request, found.tracking_number, error=message, status=status)
    query = urlencode({"q": found.tracking_number, "noted": "1"})
    return redirect(f"{reverse('staff:desk')}?{query}")
