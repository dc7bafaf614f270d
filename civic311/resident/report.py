"""Report a problem: choose the service, say where, answer its questions, add photos, send.

Works without JavaScript: the service is chosen by following a link, the place is an address
field (the map only fills the same fields), and everything is checked on the server, which
shows each problem next to its field with everything typed (and every photo) kept. The
questions are the service's own form (catalog.questions, as on the staff desk). Each post asks
the core's submission preview, like every channel: it says what is wrong and which open
requests nearby to offer ("follow this one instead") before anything is stored; the preview is
then stored as it is (actions.submit_previewed), with no second look-up of the place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civic311.catalog.cache import catalog
from civic311.catalog.models import Service
from civic311.catalog.questions import Asked, QuestionForm
from civic311.catalog.translation import translated
from civic311.choices import Channel
from civic311.lib.errors import DomainError, InvalidInput, Problem
from civic311.lib.ratelimit import client_address, hit
from civic311.media.intake import check_photo
from civic311.resident import places, stash
from civic311.resident.forms import FollowForm
from civic311.resident.places import FoundPlace
from civic311.resident.track import track_url
from civic311.service_requests import actions, selectors
from civic311.service_requests.actions import Actor, Contact, Preview

HONEYPOT = "website"
PIN = "pin"  # point_for when the point was put on the map, not found from the address
TEXT_FIELDS = ("address", "description", "first_name", "last_name", "email", "phone")
# Where a problem from the actions is shown on the form.
FIELD_OF = {
    "lat": "address",
    "long": "address",
    "address_string": "address",
    "address_id": "address",
    "media": "photos",
    "service_code": "form",
}
# The core's words for a problem, where this page says it its own way.
WORDING = {
    "location.missing": gettext_lazy(
        "Say where the problem is: type an address, or put a pin on the map."
    ),
}


# --- Choosing what is wrong ---------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    code: str
    name: str
    description: str
    group: str


def _choices() -> list[Choice]:
    services = [s for s in catalog.all_services() if s.active]
    return [
        Choice(
            code=s.service_code,
            name=translated(s, "service_name"),
            description=translated(s, "description"),
            group=translated(s, "group") or _("Other"),
        )
        for s in services
    ]


def _matches(service: Service, choice: Choice, words: list[str]) -> bool:
    text = " ".join(
        (choice.name, choice.description, choice.group, service.service_name, service.keywords)
    ).lower()
    return all(word in text for word in words)


@require_GET
def choose(request: HttpRequest) -> HttpResponse:
    """/report/: every service, grouped, each with a plain description; ?q= narrows them."""
    query = request.GET.get("q", "").strip()[:100]
    words = query.lower().split()
    groups: dict[str, list[Choice]] = {}
    for choice in _choices():
        service = catalog.service(choice.code)
        if words and (service is None or not _matches(service, choice, words)):
            continue
        groups.setdefault(choice.group, []).append(choice)
    ordered = [(group, sorted(items, key=lambda c: c.name)) for group, items in groups.items()]
    ordered.sort(key=lambda pair: pair[0])
    return render(request, "resident/report_choose.html", {"groups": ordered, "query": query})


# --- The form --------------------------------------------------------------------------------


@dataclass
class Form:
    """What the resident typed, what was found, and what is wrong with it."""

    values: dict[str, str] = field(default_factory=dict)
    lat: str = ""
    long: str = ""
    point_for: str = ""
    place: FoundPlace | None = None
    kept: list[tuple[str, str]] = field(default_factory=list)  # (token, filename)
    errors: dict[str, list[str]] = field(default_factory=dict)
    offered: str = ""  # the point whose nearby requests were shown

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def add_problems(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        for problem in problems:
            message = str(WORDING.get(problem.code, problem.message))
            self.add(FIELD_OF.get(problem.field, problem.field), message)


def _service_or_404(code: str) -> Service:
    service = catalog.service(code)
    if service is None or not service.active:
        raise Http404(_("There is no such service."))
    return service


def _render(
    request: HttpRequest,
    service: Service,
    form: Form,
    questions: QuestionForm,
    *,
    nearby: tuple[selectors.Nearby, ...] = (),
    status: int = 200,
) -> HttpResponse:
    asked = questions.asked()
    if form.errors.get("address") and form.place is None:
        form.lat = form.long = form.point_for = ""
    context: dict[str, Any] = {
        "service": service,
        "service_name": translated(service, "service_name"),
        "service_description": translated(service, "description"),
        "form": form,
        "v": form.values,
        "questions": asked,
        "errors": form.errors,
        "has_errors": bool(form.errors) or any(q.error for q in asked),
        "error_list": _error_list(form, asked),
        "nearby": nearby,
        "max_photos": settings.PHOTO_MAX_PER_REQUEST,
        "max_photo_size": filesizeformat(settings.PHOTO_MAX_BYTES),
        "honeypot": HONEYPOT,
        "pin": PIN,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_center": settings.MAP_CENTER,
        "city_time_zone": ZoneInfo(settings.CITY_TIME_ZONE),
        "follow_email": form.values.get("email", ""),
    }
    return render(request, "resident/report_form.html", context, status=status)


def _error_list(form: Form, questions: list[Asked]) -> list[tuple[str, str]]:
    """(anchor, message) for the summary at the top of the form, in the order of the page."""
    anchors = {
        "form": "report-form",
        "address": "id_address",
        "photos": "id_photos",
        "description": "id_description",
        "first_name": "id_first_name",
        "last_name": "id_last_name",
        "email": "id_email",
        "phone": "id_phone",
    }
    found: list[tuple[str, str]] = [(anchors["address"], m) for m in form.errors.get("address", [])]
    found += [(q.input_id, q.error) for q in questions if q.error]
    for name in ("photos", "description", "first_name", "last_name", "email", "phone", "form"):
        found += [(anchors[name], m) for m in form.errors.get(name, [])]
    for name, messages in form.errors.items():
        if name not in anchors:
            found += [("report-form", m) for m in messages]
    return found


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, code: str) -> HttpResponse:
    """/report/<service code>/: the form, and its submission."""
    service = _service_or_404(code)
    if request.method == "GET":
        return _render(request, service, Form(), QuestionForm(service))
    return _submit(request, service)


def _read_photos(request: HttpRequest, form: Form) -> list[tuple[bytes, str]]:
    """Kept photos still wanted, then new ones that pass the upload checks (the others get an
    error). Every accepted photo is kept for a re-render until the report is stored."""
    dropped = set(request.POST.getlist("drop"))
    photos: list[tuple[bytes, str]] = []
    for token in request.POST.getlist("kept"):
        if token in dropped:
            stash.drop(token)
            continue
        loaded = stash.load(token)
        if loaded is not None:
            photos.append(loaded)
            form.kept.append((token, loaded[1]))
    uploads: list[UploadedFile] = [u for u in request.FILES.getlist("photos") if u.size]
    limit = settings.PHOTO_MAX_PER_REQUEST
    if len(photos) + len(uploads) > limit:
        form.add(
            "photos",
            _("You can add at most %(limit)d photos; remove some first.") % {"limit": limit},
        )
        uploads = uploads[: max(0, limit - len(photos))]
    for upload in uploads:
        name = upload.name or "photo"
        if (upload.size or 0) > settings.PHOTO_MAX_BYTES:
            form.add(
                "photos",
                _("“%(name)s” is %(size)s; a photo can be at most %(limit)s.")
                % {
                    "name": name[:80],
                    "size": filesizeformat(upload.size or 0),
                    "limit": filesizeformat(settings.PHOTO_MAX_BYTES),
                },
            )
            continue
        data = upload.read()
        try:
            check_photo(data, name, field="photos")
        except InvalidInput as error:
            form.add_problems(error.problems)
            continue
        photos.append((data, name))
        form.kept.append((stash.keep(data, name), name[:80]))
    return photos


def _point(request: HttpRequest, form: Form) -> tuple[str, str]:
    """The point to use as it is: the map's pin, or the one found before for this very address;
    ("", "") when the address is to be looked up (once, by the preview)."""
    address = form.values["address"]
    lat, long = request.POST.get("lat", "").strip(), request.POST.get("long", "").strip()
    point_for = request.POST.get("point_for", "")
    if lat and long and point_for in (PIN, address):
        form.point_for = point_for
        return lat, long
    form.point_for = address
    return "", ""


def _preview(
    request: HttpRequest, service: Service, form: Form, questions: QuestionForm
) -> Preview:
    """The core's look at the report: every problem on its field, the place shown back."""
    photos = _read_photos(request, form)
    lat, long = _point(request, form)
    preview = actions.preview_submission(
        service_code=service.service_code,
        lat=lat,
        long=long,
        address=form.values["address"],
        description=form.values["description"],
        answers=questions.answers() if questions.is_valid() else {},
        contact=Contact(
            first_name=form.values["first_name"],
            last_name=form.values["last_name"],
            email=form.values["email"],
            phone=form.values["phone"],
            language=(get_language() or settings.LANGUAGE_CODE)[:8],
        ),
        photos=photos,
        declined=form.offered,
    )
    form.add_problems(questions.add_problems(preview.problems))
    if preview.place is not None:
        form.place = places.found(preview.place)
        form.lat, form.long = f"{preview.place.lat:.6f}", f"{preview.place.long:.6f}"
        form.values["address"] = form.values["address"] or preview.place.address
    return preview


def _abuse(request: HttpRequest, form: Form) -> int:
    """The status of a post from a flood (429) or a bot (400), with what to do on the form."""
    wait = hit("report", client_address(request), settings.REPORT_POSTS_PER_MINUTE)
    if wait is not None:
        form.add(
            "form",
            _("Too many reports from here in a minute. Wait %(seconds)d seconds and send again.")
            % {"seconds": wait},
        )
        return 429
    if request.POST.get(HONEYPOT, "").strip():
        form.add("form", _("Leave the field “Leave this empty” empty, then send again."))
    return 400


def _submit(request: HttpRequest, service: Service) -> HttpResponse:
    form = Form(values={name: request.POST.get(name, "") for name in TEXT_FIELDS})
    form.values["address"] = form.values["address"].strip()
    form.offered = request.POST.get("offered", "")
    questions = QuestionForm(service, request.POST)
    status = _abuse(request, form)
    preview = _preview(request, service, form, questions)
    if form.errors or questions.errors:
        return _render(request, service, form, questions, status=status)
    if preview.offer:
        form.offered = preview.offer_key
        return _render(request, service, form, questions, nearby=preview.offer)
    try:
        submission = actions.submit_previewed(
            preview=preview, channel=Channel.WEB, actor=Actor.resident(), source="web"
        )
    except DomainError as error:
        form.add_problems(questions.add_problems(error.problems))
        return _render(request, service, form, questions, status=400)
    for token, _name in form.kept:
        stash.drop(token)
    sent = reverse("resident:report-sent", kwargs={"number": submission.request.tracking_number})
    return redirect(f"{sent}?email=1" if preview.contact.email else sent)


@require_GET
def sent(request: HttpRequest, number: str) -> HttpResponse:
    """The confirmation: the tracking number, where to track it, and following by email."""
    sr = selectors.get_by_tracking_number(number)
    if sr is None:
        raise Http404(_("No request has this number."))
    context = {
        "sr": sr,
        "service_name": translated(sr.service, "service_name"),
        "track_url": track_url(sr.tracking_number),
        "follow_url": reverse("resident:track-follow", kwargs={"number": sr.tracking_number}),
        "follow_form": FollowForm(),
        "gave_email": request.GET.get("email") == "1",
        "parent": sr.parent,
    }
    return render(request, "resident/report_sent.html", context)
