"""Report a problem: choose the service, say where, answer its questions, add photos, send.

Works without JavaScript: the service is chosen by following a link, the place is an address
field (the map only fills the same fields), and everything is checked on the server, which
shows each problem next to its field with everything typed (and every photo) kept. Before a
report is stored, open requests of the same kind nearby are shown with "follow this one
instead". Storing goes through actions.submit_request, like every other channel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civic311.catalog.answers import validate_answers
from civic311.catalog.cache import catalog
from civic311.catalog.models import Service, ServiceAttribute
from civic311.catalog.translation import translated
from civic311.choices import Channel, Datatype, DuplicatePolicy
from civic311.lib.errors import DomainError, InvalidInput, Problem, Unavailable
from civic311.lib.ratelimit import client_address, hit
from civic311.media.intake import check_photo
from civic311.resident import places, stash
from civic311.resident.forms import FollowForm
from civic311.resident.places import FoundPlace
from civic311.resident.track import track_url
from civic311.service_requests import actions, selectors
from civic311.service_requests.actions import Actor, Contact

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
_LOCAL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


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
class Question:
    """One of the service's questions, ready for the template."""

    code: str
    name: str  # the input's name: attribute[code], as in Open311
    input_id: str
    label: str
    hint: str
    datatype: str
    required: bool
    variable: bool
    choices: list[tuple[str, str]]
    values: list[str]
    error: str = ""

    @property
    def value(self) -> str:
        return self.values[0] if self.values else ""


def _questions(service: Service, data: QueryDict | None) -> list[Question]:
    questions = []
    attribute: ServiceAttribute
    for attribute in service.attributes.all():
        name = f"attribute[{attribute.code}]"
        questions.append(
            Question(
                code=attribute.code,
                name=name,
                input_id=f"q-{attribute.code}",
                label=translated(attribute, "description"),
                hint=translated(attribute, "datatype_description"),
                datatype=attribute.datatype,
                required=attribute.required,
                variable=attribute.variable,
                choices=[(v.key, translated(v, "name")) for v in attribute.values.all()],
                values=[v for v in data.getlist(name) if v.strip()] if data is not None else [],
            )
        )
    return questions


def _city_datetime(value: str) -> str:
    """A datetime-local input's value ("2026-05-01T08:15") as a W3C datetime in the city's zone;
    anything else as it was typed (the actions then say what is wrong with it)."""
    value = value.strip()
    if not _LOCAL_DATETIME.match(value):
        return value
    local = datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(settings.CITY_TIME_ZONE))
    return local.isoformat()


def _answers(questions: list[Question]) -> dict[str, str | list[str]]:
    answers: dict[str, str | list[str]] = {}
    for question in questions:
        if not question.variable or not question.values:
            continue
        if question.datatype == Datatype.MULTIVALUELIST:
            answers[question.code] = question.values
        elif question.datatype == Datatype.DATETIME:
            answers[question.code] = [_city_datetime(v) for v in question.values]
        else:
            answers[question.code] = question.values
    return answers


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
            self.add(FIELD_OF.get(problem.field, problem.field), problem.message)


def _service_or_404(code: str) -> Service:
    service = catalog.service(code)
    if service is None or not service.active:
        raise Http404(_("There is no such service."))
    return service


def _point_key(lat: float, long: float) -> str:
    return f"{lat:.5f},{long:.5f}"


def _render(
    request: HttpRequest,
    service: Service,
    form: Form,
    questions: list[Question],
    *,
    nearby: list[selectors.Nearby] | None = None,
    status: int = 200,
) -> HttpResponse:
    for question in questions:
        question.error = " ".join(form.errors.pop(question.name, []))
    if form.errors.get("address") and form.place is None:
        form.lat = form.long = form.point_for = ""
    context: dict[str, Any] = {
        "service": service,
        "service_name": translated(service, "service_name"),
        "service_description": translated(service, "description"),
        "form": form,
        "v": form.values,
        "questions": questions,
        "errors": form.errors,
        "has_errors": bool(form.errors) or any(q.error for q in questions),
        "error_list": _error_list(form, questions),
        "nearby": nearby or [],
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


def _error_list(form: Form, questions: list[Question]) -> list[tuple[str, str]]:
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
        return _render(request, service, Form(), _questions(service, None))
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


def _find_place(request: HttpRequest, form: Form) -> FoundPlace | None:
    """The point once: from the map's pin, or the address looked up (never twice)."""
    address = form.values["address"]
    lat, long = request.POST.get("lat", "").strip(), request.POST.get("long", "").strip()
    point_for = request.POST.get("point_for", "")
    try:
        if lat and long and point_for in (PIN, address):
            found = places.find(lat=lat, long=long, address=address)
            form.point_for = point_for
        elif address:
            found = places.find(address=address)
            form.point_for = address
        else:
            form.add(
                "address",
                _("Say where the problem is: type an address, or put a pin on the map."),
            )
            return None
    except Unavailable as error:
        form.add_problems(error.problems)
        return None
    except DomainError as error:
        form.add_problems(error.problems)
        return None
    form.lat, form.long = f"{found.lat:.6f}", f"{found.long:.6f}"
    if not address:
        form.values["address"] = found.address
    return found


def _submit(request: HttpRequest, service: Service) -> HttpResponse:
    form = Form(values={name: request.POST.get(name, "") for name in TEXT_FIELDS})
    form.values["address"] = form.values["address"].strip()
    form.offered = request.POST.get("offered", "")
    questions = _questions(service, request.POST)
    status = 400
    wait = hit("report", client_address(request), settings.REPORT_POSTS_PER_MINUTE)
    if wait is not None:
        form.add(
            "form",
            _("Too many reports from here in a minute. Wait %(seconds)d seconds and send again.")
            % {"seconds": wait},
        )
        status = 429
    if request.POST.get(HONEYPOT, "").strip():
        form.add("form", _("Leave the field “Leave this empty” empty, then send again."))
    photos = _read_photos(request, form)
    found = _find_place(request, form)
    form.place = found
    contact = Contact(
        first_name=form.values["first_name"],
        last_name=form.values["last_name"],
        email=form.values["email"],
        phone=form.values["phone"],
        language=(get_language() or settings.LANGUAGE_CODE)[:8],
    )
    # Answers and contact are checked before the nearby offer too, so every mistake shows at
    # once (submit_request checks them again with the same functions).
    form.add_problems(validate_answers(service, _answers(questions))[1])
    form.add_problems(actions.check_contact(contact))
    if form.errors:
        return _render(request, service, form, questions, status=status)
    assert found is not None
    point = _point_key(found.lat, found.long)
    if service.duplicate_policy != DuplicatePolicy.OFF and form.offered != point:
        nearby = selectors.open_requests_nearby(
            lat=found.lat,
            long=found.long,
            radius_m=service.duplicate_radius_m,
            service=service,
            limit=5,
        )
        if nearby:
            form.offered = point
            return _render(request, service, form, questions, nearby=nearby)
    try:
        submission = actions.submit_request(
            service_code=service.service_code,
            channel=Channel.WEB,
            actor=Actor.resident(),
            lat=found.lat,
            long=found.long,
            address=form.values["address"] or found.address,
            address_id=found.address_id,
            description=form.values["description"],
            answers=_answers(questions),
            contact=contact,
            photos=photos,
            source="web",
        )
    except DomainError as error:
        form.add_problems(error.problems)
        return _render(request, service, form, questions, status=400)
    for token, _name in form.kept:
        stash.drop(token)
    sent = reverse("resident:report-sent", kwargs={"number": submission.request.tracking_number})
    return redirect(f"{sent}?email=1" if contact.email else sent)


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
