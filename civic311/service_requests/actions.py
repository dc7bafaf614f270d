"""Every change to a service request, from every channel (DESIGN.md, "One path for every change").

Each action checks everything first and raises a DomainError carrying every problem found, then
writes in one short transaction: the request, one timeline entry per request touched, and the
outbox task that notifies about it. Nothing else in the code base writes these models.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from civic311.catalog.answers import Answer, validate_answers
from civic311.catalog.cache import catalog
from civic311.catalog.models import Service
from civic311.choices import Channel, DuplicatePolicy, Role, Status, TimelineType
from civic311.departments.models import Department
from civic311.departments.routing import expected_completion, route
from civic311.geo import cells
from civic311.geo.geocoders import GeocoderUnavailable, get_geocoder
from civic311.geo.locator import Location, locate
from civic311.lib import clock
from civic311.lib.errors import InvalidInput, NotPermitted, Problem, Unavailable
from civic311.media.intake import check_photos
from civic311.media.records import attach_photos
from civic311.notifications.outbox import enqueue_event
from civic311.service_requests import permissions, selectors, tracking
from civic311.service_requests.models import ReporterContact, ServiceRequest, TimelineEntry
from civic311.service_requests.permissions import Verb

MAX_DESCRIPTION = 4000
MAX_NOTE = 4000
MAX_ADDRESS = 255
MAX_CREW = 100


# --- Who is acting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a staff user, or a label for residents, apps and the system.

    `label` is what the public timeline shows ("Streets and Sanitation", "Resident"); a staff
    member's own name stays in the audit log (`actor`), not in public output."""

    label: str
    user: AbstractBaseUser | AnonymousUser | None = None

    @classmethod
    def resident(cls) -> Actor:
        return cls(label=_("Resident"))

    @classmethod
    def system(cls) -> Actor:
        return cls(label=_("Civic311"))

    @classmethod
    def app(cls, name: str) -> Actor:
        return cls(label=name)

    @classmethod
    def staff(cls, user: AbstractBaseUser) -> Actor:
        """A staff member: the public sees their department or office, the audit log sees them."""
        role = permissions.role_of(user)
        if role is None:
            label = _("City staff")
        elif role.department_name:
            label = role.department_name
        elif role.role == Role.WARD_OFFICE:
            label = _("Ward %(ward)s office") % {"ward": role.ward}
        elif role.role == Role.OPERATOR:
            label = _("311 call center")
        else:
            label = _("City staff")
        return cls(label=label, user=user)

    @property
    def user_id(self) -> int | None:
        user = self.user
        if user is None or not user.is_authenticated:
            return None
        return int(user.pk)


@dataclass(frozen=True)
class Contact:
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    device_id: str = ""
    account_id: str = ""
    language: str = ""

    def is_empty(self) -> bool:
        return not any(
            (
                self.first_name,
                self.last_name,
                self.email,
                self.phone,
                self.device_id,
                self.account_id,
            )
        )


@dataclass(frozen=True)
class Submission:
    request: ServiceRequest
    # Set when the service links duplicates: the open request this one was attached to.
    duplicate_of: ServiceRequest | None = None
    # Open requests of the same service nearby, for channels that offer "follow this instead".
    nearby: list[selectors.Nearby] = field(default_factory=list)


# --- Submission -------------------------------------------------------------------------------


@dataclass
class _Place:
    lat: float
    long: float
    address: str
    address_id: str
    zipcode: str
    location: Location


def _parse_coordinate(
    raw: float | str | None, name: str, low: float, high: float, problems: list[Problem]
) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        problems.append(
            Problem("location.not_a_number", name, _("%(name)s must be a number.") % {"name": name})
        )
        return None
    if not math.isfinite(value) or not low <= value <= high:
        problems.append(
            Problem(
                "location.out_of_range",
                name,
                _("%(name)s must be between %(low)s and %(high)s.")
                % {"name": name, "low": low, "high": high},
            )
        )
        return None
    return value


def _resolve_place(
    *,
    lat: float | str | None,
    long: float | str | None,
    address: str,
    address_id: str,
    problems: list[Problem],
) -> _Place | None:
    """A point, from lat/long (preferred), an address id, or an address string."""
    n = len(problems)
    latitude = _parse_coordinate(lat, "lat", -90, 90, problems)
    longitude = _parse_coordinate(long, "long", -180, 180, problems)
    if len(address) > MAX_ADDRESS:
        problems.append(
            Problem(
                "address.too_long",
                "address_string",
                _("At most %(limit)d characters.") % {"limit": MAX_ADDRESS},
            )
        )
    if len(problems) > n:
        return None
    if (latitude is None) != (longitude is None):
        missing = "long" if longitude is None else "lat"
        problems.append(
            Problem("location.incomplete", missing, _("Send both lat and long, or neither."))
        )
        return None
    zipcode = ""
    geocoder = get_geocoder()
    try:
        if latitude is None or longitude is None:
            found = None
            if address_id:
                found = geocoder.by_address_id(address_id)
                if found is None:
                    problems.append(
                        Problem("address_id.unknown", "address_id", _("Unknown address_id."))
                    )
                    return None
            elif address:
                found = geocoder.geocode(address)
                if found is None:
                    problems.append(
                        Problem(
                            "address.not_found",
                            "address_string",
                            _("We could not find “%(address)s”. Check it, or put a pin on the map.")
                            % {"address": address[:100]},
                        )
                    )
                    return None
            else:
                problems.append(
                    Problem(
                        "location.missing",
                        "lat",
                        _("Say where: lat and long, an address_string or an address_id."),
                    )
                )
                return None
            latitude, longitude = found.lat, found.long
            address = address or found.address
            address_id = address_id or found.address_id
            zipcode = found.zipcode
        elif not address:
            found = geocoder.reverse(latitude, longitude)
            if found is not None:
                address, zipcode = found.address, found.zipcode
    except GeocoderUnavailable as exc:
        raise Unavailable(
            [
                Problem(
                    "geocoder.unavailable",
                    "address_string",
                    _("Address lookup is down; put a pin on the map or try again later."),
                )
            ]
        ) from exc
    location = locate(latitude, longitude)
    if not location.inside_city:
        problems.append(
            Problem(
                "location.outside_city",
                "lat",
                _("This place is outside the city. The city can only fix problems within it."),
            )
        )
        return None
    return _Place(
        lat=latitude,
        long=longitude,
        address=address,
        address_id=address_id,
        zipcode=location.zipcode or zipcode,
        location=location,
    )


Place = _Place


def locate_place(
    *, lat: float | str | None = None, long: float | str | None = None, address: str = ""
) -> Place:
    """Where a report would be, for channels that show it back before submitting (the place,
    its ward and community area, open requests nearby). Its lat, long and address passed to
    submit_request are used as they are: the address is not looked up a second time.

    Raises InvalidInput (outside the city, not found) or Unavailable (geocoder down)."""
    problems: list[Problem] = []
    place = _resolve_place(
        lat=lat, long=long, address=(address or "").strip(), address_id="", problems=problems
    )
    if problems or place is None:
        raise InvalidInput(problems)
    return place


def _check_contact(contact: Contact, problems: list[Problem]) -> Contact:
    email = contact.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                Problem("contact.email_invalid", "email", _("This is not an email address."))
            )
    phone = contact.phone.strip()
    if phone:
        digits = "".join(c for c in phone if c.isdigit())
        if not 7 <= len(digits) <= 15 or any(c not in "0123456789+-(). " for c in phone):
            problems.append(
                Problem("contact.phone_invalid", "phone", _("This is not a phone number."))
            )
        else:
            phone = ("+" if phone.startswith("+") else "") + digits
    for name in ("first_name", "last_name", "device_id", "account_id"):
        if len(getattr(contact, name)) > 100:
            problems.append(
                Problem(
                    "contact.too_long", name, _("At most %(limit)d characters.") % {"limit": 100}
                )
            )
    return Contact(
        first_name=contact.first_name.strip(),
        last_name=contact.last_name.strip(),
        email=email.lower(),
        phone=phone,
        device_id=contact.device_id.strip(),
        account_id=contact.account_id.strip(),
        language=contact.language.strip()[:8],
    )


def check_contact(contact: Contact) -> list[Problem]:
    """What submit_request would say about these contact details, for a channel that checks
    everything before offering nearby requests."""
    problems: list[Problem] = []
    _check_contact(contact, problems)
    return problems


def _check_media_url(media_url: str, problems: list[Problem]) -> None:
    if not media_url:
        return
    try:
        URLValidator(schemes=["http", "https"])(media_url)
    except ValidationError:
        problems.append(Problem("media_url.invalid", "media_url", _("This is not a web address.")))
        return
    if len(media_url) > 500:
        problems.append(
            Problem(
                "media_url.too_long",
                "media_url",
                _("At most %(limit)d characters.") % {"limit": 500},
            )
        )


def load_service(service_code: str) -> Service | None:
    return catalog.service(service_code)


def submit_request(
    *,
    service_code: str,
    channel: str,
    actor: Actor,
    lat: float | str | None = None,
    long: float | str | None = None,
    address: str = "",
    address_id: str = "",
    description: str = "",
    answers: Mapping[str, Answer] | None = None,
    contact: Contact | None = None,
    media_url: str = "",
    source: str = "",
    photos: Sequence[tuple[bytes, str]] = (),
    is_test: bool = False,
    within: Callable[[Submission], None] | None = None,
) -> Submission:
    """Check, locate, de-duplicate, route and store a new service request.

    `within` runs inside the submission's transaction, for records that must commit or roll
    back with the request (an API idempotency key, a batch token). `is_test` marks a request
    made with a developer's test key.

    Raises InvalidInput with every problem found (nothing is stored), or Unavailable when an
    outside geocoder fails.
    """
    problems: list[Problem] = []
    service_code = (service_code or "").strip()
    service = load_service(service_code) if service_code else None
    if not service_code:
        problems.append(
            Problem("service_code.missing", "service_code", _("Say what kind of problem it is."))
        )
    elif service is None or not service.active:
        problems.append(
            Problem(
                "service_code.unknown",
                "service_code",
                _("There is no service “%(code)s”.") % {"code": service_code[:64]},
            )
        )
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if actor.user_id is not None and not permissions.may_submit(actor.user):
        raise NotPermitted(
            [Problem("permission.submit", "channel", _("Only city staff may do this."))]
        )
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        problems.append(
            Problem(
                "description.too_long",
                "description",
                _("The description has %(count)d characters; at most %(limit)d are allowed.")
                % {"count": len(description), "limit": MAX_DESCRIPTION},
            )
        )
    normalised_answers: dict[str, Any] = {}
    if service is not None and service.active:
        normalised_answers, answer_problems = validate_answers(service, answers or {})
        problems.extend(answer_problems)
    contact = _check_contact(contact or Contact(), problems)
    media_url = (media_url or "").strip()
    _check_media_url(media_url, problems)
    checked_photos, photo_problems = check_photos(photos) if photos else ([], [])
    problems.extend(photo_problems)
    place = _resolve_place(
        lat=lat,
        long=long,
        address=(address or "").strip(),
        address_id=(address_id or "").strip(),
        problems=problems,
    )
    if problems:
        raise InvalidInput(problems)
    assert service is not None and place is not None
    if actor.user_id is not None and not permissions.may_submit_in_ward(
        actor.user, place.location.ward
    ):
        raise NotPermitted(
            [
                Problem(
                    "permission.submit_ward",
                    "address_string",
                    _("A ward office takes requests in its own ward; this is in ward %(ward)s.")
                    % {"ward": place.location.ward or "?"},
                )
            ]
        )

    routing = route(service=service, location=place.location)
    h3_r9, h3_r7 = cells.cells_for(place.lat, place.long)
    # Duplicates are looked for before the write transaction, which SQLite runs one at a time:
    # keeping reads out of it is what lets submissions follow each other quickly. Two reports of
    # the same pothole in the same few milliseconds may both stand; staff merge those.
    nearby: list[selectors.Nearby] = []
    # A developer's test request must never attach itself to a resident's real one.
    if service.duplicate_policy != DuplicatePolicy.OFF and not is_test:
        nearby = selectors.open_requests_nearby(
            lat=place.lat,
            long=place.long,
            radius_m=service.duplicate_radius_m,
            service=service,
            limit=5,
        )
    parent = (
        nearby[0].request if nearby and service.duplicate_policy == DuplicatePolicy.LINK else None
    )
    with transaction.atomic():
        when = clock.now()
        request = ServiceRequest.objects.create(
            tracking_number=tracking.allocate(when),
            service=service,
            status=Status.CLOSED_DUPLICATE if parent else Status.OPEN,
            department=routing.department,
            priority=routing.priority,
            channel=channel,
            source=source[:100],
            description=description,
            answers=normalised_answers,
            media_url=media_url,
            lat=place.lat,
            long=place.long,
            address=place.address[:MAX_ADDRESS],
            address_id=place.address_id[:64],
            zipcode=place.zipcode,
            ward=place.location.ward,
            community_area=place.location.community_area,
            h3_r9=h3_r9,
            h3_r7=h3_r7,
            requested_at=when,
            updated_at=when,
            expected_at=None if parent else expected_completion(service=service, requested_at=when),
            closed_at=when if parent else None,
            parent=parent,
            is_test=is_test,
        )
        if not contact.is_empty():
            ReporterContact.objects.create(request=request, **contact.__dict__)
        if checked_photos:
            attach_photos(request, checked_photos)
        _record(
            request,
            TimelineType.OPENED,
            actor,
            at=when,
            data={
                "channel": channel,
                "department": routing.department.code,
                "possible_duplicates": [n.request.tracking_number for n in nearby],
            },
        )
        if parent is not None:
            _link_duplicate(request, parent, actor, at=when, note="")
        submission = Submission(request=request, duplicate_of=parent, nearby=nearby)
        if within is not None:
            within(submission)
    return submission


# --- Changes to an existing request -------------------------------------------------------------


def _record(
    request: ServiceRequest,
    type: str,
    actor: Actor,
    *,
    note: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> TimelineEntry:
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


def _locked(request: ServiceRequest) -> ServiceRequest:
    """The request re-read inside the transaction, locked against concurrent changes."""
    return (
        ServiceRequest.objects.select_for_update()
        .select_related("service", "department")
        .get(pk=request.pk)
    )


def _clean_note(note: str, *, required: bool, problems: list[Problem]) -> str:
    note = (note or "").strip()
    if required and not note:
        problems.append(Problem("note.required", "note", _("Please explain, in a note.")))
    if len(note) > MAX_NOTE:
        problems.append(
            Problem(
                "note.too_long", "note", _("At most %(limit)d characters.") % {"limit": MAX_NOTE}
            )
        )
    return note


def _refuse_if_closed(request: ServiceRequest, problems: list[Problem]) -> None:
    if request.is_closed:
        problems.append(
            Problem(
                "request.closed",
                "status",
                _("Request %(number)s is closed; reopen it first.")
                % {"number": request.tracking_number},
            )
        )


def _save(request: ServiceRequest, now: datetime, *fields: str) -> None:
    request.updated_at = now
    request.save(update_fields=[*fields, "updated_at"])


def change_status(
    *, request: ServiceRequest, status: str, actor: Actor, note: str = ""
) -> ServiceRequest:
    """Move an open request to another open status (acknowledged, in progress, scheduled)."""
    problems: list[Problem] = []
    note = _clean_note(note, required=False, problems=problems)
    if status not in Status.open_values():
        problems.append(
            Problem(
                "status.invalid",
                "status",
                _("Use close() for closing statuses; “%(status)s” is not an open status.")
                % {"status": status},
            )
        )
    with transaction.atomic():
        request = _locked(request)
        permissions.check(actor.user, Verb.WORK, request)
        _refuse_if_closed(request, problems)
        if not problems and request.status == status:
            problems.append(
                Problem("status.unchanged", "status", _("The request already has this status."))
            )
        if problems:
            raise InvalidInput(problems)
        previous = request.status
        now = clock.now()
        request.status = status
        fields = ["status"]
        if note:
            request.status_notes = note
            fields.append("status_notes")
        _save(request, now, *fields)
        _record(
            request,
            TimelineType.STATUS_CHANGED,
            actor,
            note=note,
            at=now,
            data={"from": previous, "to": status},
        )
    return request


def close(*, request: ServiceRequest, status: str, actor: Actor, note: str = "") -> ServiceRequest:
    """Close with a reason. Not fixed and referred need a note saying why or to whom; duplicates
    are closed with merge()."""
    problems: list[Problem] = []
    explanation_needed = status in (Status.CLOSED_NOT_FIXED, Status.CLOSED_REFERRED)
    note = _clean_note(note, required=explanation_needed, problems=problems)
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
    with transaction.atomic():
        request = _locked(request)
        permissions.check(actor.user, Verb.WORK, request)
        _refuse_if_closed(request, problems)
        if problems:
            raise InvalidInput(problems)
        previous = request.status
        now = clock.now()
        request.status = status
        request.closed_at = now
        request.status_notes = note
        _save(request, now, "status", "closed_at", "status_notes")
        _record(
            request,
            TimelineType.CLOSED,
            actor,
            note=note,
            at=now,
            data={"from": previous, "to": status},
        )
    return request


def _name_of(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _assignee_problems(assignee: Any, request: ServiceRequest) -> list[Problem]:
    """A person is assigned work of their own department (an administrator anything)."""
    role = permissions.role_of(assignee)
    if role is not None and (
        role.role == Role.ADMINISTRATOR
        or (
            role.role in (Role.DEPARTMENT_STAFF, Role.SUPERVISOR)
            and role.department_id == request.department_id
        )
    ):
        return []
    return [
        Problem(
            "assign.not_in_department",
            "assignee",
            _("%(name)s does not work in %(department)s.")
            % {
                "name": _name_of(assignee),
                "department": request.department.name,
            },
        )
    ]


def assign(
    *,
    request: ServiceRequest,
    actor: Actor,
    assignee: AbstractBaseUser | None = None,
    crew: str = "",
    note: str = "",
) -> ServiceRequest:
    """Give an open request to a person of its department and/or a crew; neither unassigns it.
    Internal: residents see the work, not who does it."""
    problems: list[Problem] = []
    note = _clean_note(note, required=False, problems=problems)
    crew = (crew or "").strip()
    if len(crew) > MAX_CREW:
        problems.append(
            Problem(
                "crew.too_long", "crew", _("At most %(limit)d characters.") % {"limit": MAX_CREW}
            )
        )
    with transaction.atomic():
        request = _locked(request)
        permissions.check(actor.user, Verb.WORK, request)
        _refuse_if_closed(request, problems)
        if assignee is not None:
            problems.extend(_assignee_problems(assignee, request))
        new_id = int(assignee.pk) if assignee is not None else None
        if not problems and (request.assignee_id, request.crew) == (new_id, crew):
            problems.append(
                Problem("assign.unchanged", "assignee", _("It is already assigned that way."))
            )
        if problems:
            raise InvalidInput(problems)
        before = {"assignee": request.assignee_id, "crew": request.crew}
        now = clock.now()
        request.assignee_id = new_id
        request.crew = crew
        _save(request, now, "assignee", "crew")
        _record(
            request,
            TimelineType.ASSIGNED,
            actor,
            note=note,
            public=False,
            at=now,
            data={
                "from": before,
                "to": {"assignee": new_id, "crew": crew},
                # The name as it was then, for the audit log (people are renamed, and leave).
                "assignee_name": _name_of(assignee) if assignee is not None else "",
            },
        )
    return request


def schedule(
    *, request: ServiceRequest, actor: Actor, when: datetime, note: str = ""
) -> ServiceRequest:
    """Book the work for a moment (aware; not in the past): the request becomes scheduled and
    the resident is told when."""
    problems: list[Problem] = []
    note = _clean_note(note, required=False, problems=problems)
    if when.tzinfo is None:
        raise ValueError("schedule() needs an aware datetime")
    now = clock.now()
    if when < now - timedelta(hours=1):
        problems.append(
            Problem("schedule.past", "scheduled_for", _("Pick a time that has not passed."))
        )
    with transaction.atomic():
        request = _locked(request)
        permissions.check(actor.user, Verb.WORK, request)
        _refuse_if_closed(request, problems)
        if not problems and (request.status, request.scheduled_for) == (Status.SCHEDULED, when):
            problems.append(
                Problem("schedule.unchanged", "scheduled_for", _("It is already booked then."))
            )
        if problems:
            raise InvalidInput(problems)
        previous = request.status
        request.status = Status.SCHEDULED
        request.scheduled_for = when
        fields = ["status", "scheduled_for"]
        if note:
            request.status_notes = note
            fields.append("status_notes")
        _save(request, now, *fields)
        _record(
            request,
            TimelineType.SCHEDULED,
            actor,
            note=note,
            at=now,
            data={"from": previous, "to": Status.SCHEDULED, "for": when.isoformat()},
        )
    return request


def reopen(*, request: ServiceRequest, actor: Actor, note: str) -> ServiceRequest:
    """Open a closed request again (the fix did not hold). A reopened duplicate stands alone."""
    problems: list[Problem] = []
    note = _clean_note(note, required=True, problems=problems)
    with transaction.atomic():
        request = _locked(request)
        permissions.check(actor.user, Verb.REOPEN, request)
        if not request.is_closed:
            problems.append(Problem("request.open", "status", _("The request is not closed.")))
        if problems:
            raise InvalidInput(problems)
        previous, former_parent = request.status, request.parent
        now = clock.now()
        request.status = Status.OPEN
        request.closed_at = None
        request.parent = None
        request.status_notes = note
        request.expected_at = expected_completion(service=request.service, requested_at=now)
        _save(request, now, "status", "closed_at", "parent", "status_notes", "expected_at")
        _record(
            request,
            TimelineType.REOPENED,
            actor,
            note=note,
            at=now,
            data={
                "from": previous,
                "to": Status.OPEN,
                "former_parent": former_parent.tracking_number if former_parent else None,
            },
        )
    return request


def add_note(*, request: ServiceRequest, note: str, actor: Actor, public: bool) -> TimelineEntry:
    """A note on the timeline: public ones are shown to residents and in the API; internal ones
    only to staff."""
    problems: list[Problem] = []
    note = _clean_note(note, required=True, problems=problems)
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        request = _locked(request)
        permissions.check(actor.user, Verb.NOTE, request)
        now = clock.now()
        if public:
            request.status_notes = note
            _save(request, now, "status_notes")
        else:
            _save(request, now)
        return _record(request, TimelineType.NOTE_ADDED, actor, note=note, public=public, at=now)


def reroute(
    *,
    request: ServiceRequest,
    actor: Actor,
    reason: str,
    service_code: str = "",
    department_code: str = "",
) -> ServiceRequest:
    """Send a request to another service and/or department, keeping its number and history.

    With a new service and no department named, the new service's routing decides."""
    problems: list[Problem] = []
    reason = _clean_note(reason, required=True, problems=problems)
    new_service = load_service(service_code) if service_code else None
    if service_code and (new_service is None or not new_service.active):
        problems.append(
            Problem(
                "service_code.unknown",
                "service_code",
                _("There is no service “%(code)s”.") % {"code": service_code[:64]},
            )
        )
    new_department = (
        Department.objects.filter(code=department_code).first() if department_code else None
    )
    if department_code and new_department is None:
        problems.append(
            Problem(
                "department.unknown",
                "department",
                _("There is no department “%(code)s”.") % {"code": department_code[:32]},
            )
        )
    if not service_code and not department_code:
        problems.append(
            Problem(
                "reroute.nothing", "department", _("Name the service or department it goes to.")
            )
        )
    with transaction.atomic():
        request = _locked(request)
        permissions.check(actor.user, Verb.REROUTE, request)
        _refuse_if_closed(request, problems)
        if problems:
            raise InvalidInput(problems)
        before = {"service": request.service.service_code, "department": request.department.code}
        fields = []
        if new_service is not None and new_service.pk != request.service_id:
            request.service = new_service
            request.expected_at = expected_completion(
                service=new_service, requested_at=request.requested_at
            )
            fields += ["service", "expected_at"]
            if new_department is None:
                location = Location(
                    inside_city=True,
                    ward=request.ward,
                    community_area=request.community_area,
                    zipcode=request.zipcode,
                )
                new_department = route(service=new_service, location=location).department
        if new_department is not None and new_department.pk != request.department_id:
            request.department = new_department
            fields.append("department")
        if not fields:
            raise InvalidInput(
                [Problem("reroute.unchanged", "department", _("It is already there."))]
            )
        now = clock.now()
        request.status_notes = reason
        _save(request, now, *fields, "status_notes")
        after = {"service": request.service.service_code, "department": request.department.code}
        _record(
            request,
            TimelineType.REROUTED,
            actor,
            note=reason,
            at=now,
            data={"from": before, "to": after},
        )
    return request


def _link_duplicate(
    child: ServiceRequest, parent: ServiceRequest, actor: Actor, *, at: datetime, note: str
) -> None:
    _record(
        child,
        TimelineType.MERGED,
        actor,
        note=note,
        at=at,
        data={"parent": parent.tracking_number},
    )
    _record(
        parent,
        TimelineType.DUPLICATE_ATTACHED,
        actor,
        at=at,
        data={"duplicate": child.tracking_number},
    )


def merge(
    *, request: ServiceRequest, into: ServiceRequest, actor: Actor, note: str = ""
) -> ServiceRequest:
    """Close `request` as a duplicate of `into` (or of the request `into` is itself a duplicate
    of). Its followers move to the parent (see notifications)."""
    problems: list[Problem] = []
    note = _clean_note(note, required=False, problems=problems)
    with transaction.atomic():
        request = _locked(request)
        permissions.check(actor.user, Verb.MERGE, request)
        parent = selectors.root_of(_locked(into))
        _refuse_if_closed(request, problems)
        if parent.pk == request.pk:
            problems.append(
                Problem("merge.self", "parent", _("A request cannot be a duplicate of itself."))
            )
        elif parent.is_closed:
            problems.append(
                Problem(
                    "merge.parent_closed",
                    "parent",
                    _("%(number)s is closed; merge into an open request.")
                    % {"number": parent.tracking_number},
                )
            )
        if problems:
            raise InvalidInput(problems)
        now = clock.now()
        request.status = Status.CLOSED_DUPLICATE
        request.parent = parent
        request.closed_at = now
        request.status_notes = note or _("Duplicate of %(number)s.") % {
            "number": parent.tracking_number
        }
        _save(request, now, "status", "parent", "closed_at", "status_notes")
        ServiceRequest.objects.filter(pk=parent.pk).update(updated_at=now)
        _link_duplicate(request, parent, actor, at=now, note=note)
    return request
