"""Taking a request on someone's behalf: a caller at the 311 desk, a constituent at a ward
office. One form for both, built from the service's own questions; the checks are
actions.submit_request's, whose problems are shown next to the fields they concern.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from civic311.catalog.answers import Answer
from civic311.catalog.models import Service, ServiceAttribute
from civic311.choices import Datatype
from civic311.geo.geocoders import GeocoderUnavailable, get_geocoder
from civic311.lib.errors import DomainError, Problem
from civic311.service_requests import actions, selectors
from civic311.service_requests.actions import Actor, Contact, Submission
from civic311.service_requests.models import ServiceRequest

# Problems about the place come back named after the API's fields; the form has one.
_PLACE_FIELDS = {"address_string", "address_id", "lat", "long"}
# The duplicate check before the questions: open requests of the chosen service this near.
MIN_CHECK_RADIUS_M = 50.0
_CONTACT_FIELDS = ("first_name", "last_name", "phone", "email")


def active_services() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every service taking requests as (group, [(code, name)]), by group and name."""
    groups: dict[str, list[tuple[str, str]]] = {}
    rows = (
        Service.objects.filter(active=True)
        .order_by("group", "service_name")
        .values_list("group", "service_code", "service_name")
    )
    for group, code, name in rows:
        groups.setdefault(group, []).append((code, name))
    return list(groups.items())


def _question_field(attribute: ServiceAttribute) -> forms.Field:
    # Never required here: submit_request says what is missing, with every other problem.
    common: dict[str, Any] = {"label": attribute.description, "required": False}
    if attribute.datatype == Datatype.SINGLEVALUELIST:
        choices = [("", "—")] + [(v.key, v.name) for v in attribute.values.all()]
        return forms.ChoiceField(choices=choices, **common)
    if attribute.datatype == Datatype.MULTIVALUELIST:
        return forms.MultipleChoiceField(
            choices=[(v.key, v.name) for v in attribute.values.all()],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if attribute.datatype == Datatype.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if attribute.datatype == Datatype.DATETIME:
        return forms.CharField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common
        )
    if attribute.datatype == Datatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    return forms.CharField(**common)


def field_name(code: str) -> str:
    return f"attribute[{code}]"


class IntakeForm(forms.Form):
    """The service's questions, where, and who is asking. Checked by submit_request, not here:
    the form only carries the values, so every channel gets the same answers to bad input."""

    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    description = forms.CharField(
        label=_("What is wrong"),
        required=False,
        max_length=actions.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=100)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label=_("Email"),
        required=False,
        max_length=254,
        help_text=_("The caller gets the tracking number and updates by email."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, service: Service, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.question_names: list[str] = []
        self.required_names = ["address"]
        for attribute in service.attributes.all():
            if not attribute.variable:
                continue
            name = field_name(attribute.code)
            self.fields[name] = _question_field(attribute)
            self.question_names.append(name)
            if attribute.required:
                self.required_names.append(name)
        # The questions come right after the address: the caller describes the problem first.
        order = ["address", *self.question_names, "description"]
        self.order_fields(order)

    def questions(self) -> list[forms.BoundField]:
        return [self[name] for name in self.question_names]

    def problem_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in _CONTACT_FIELDS]

    def contact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in _CONTACT_FIELDS]

    def answers(self) -> dict[str, Answer]:
        answers: dict[str, Answer] = {}
        for attribute in self.service.attributes.all():
            name = field_name(attribute.code)
            if name not in self.fields:
                continue
            value = self.cleaned_data.get(name)
            if attribute.datatype == Datatype.DATETIME and value:
                value = _with_offset(value)
            if value:
                answers[attribute.code] = value
        return answers

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
        )

    def add_problems(self, problems: tuple[Problem, ...]) -> None:
        for problem in problems:
            name = "address" if problem.field in _PLACE_FIELDS else problem.field
            self.add_error(name if name in self.fields else None, problem.message)


def _with_offset(value: str) -> str:
    """A datetime-local value ("2026-11-30T08:15") in the city's zone, as the W3C datetime with
    offset that service questions take; anything else is passed on to be refused."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(settings.CITY_TIME_ZONE))
    return parsed.isoformat()


def take(form: IntakeForm, *, user: AbstractBaseUser, channel: str) -> Submission | None:
    """Submit the form's request on the caller's behalf, or put the problems on the form."""
    if not form.is_valid():
        return None
    try:
        return actions.submit_request(
            service_code=form.service.service_code,
            channel=channel,
            actor=Actor.staff(user),
            address=form.cleaned_data["address"],
            description=form.cleaned_data.get("description", ""),
            answers=form.answers(),
            contact=form.contact(),
        )
    except DomainError as error:
        form.add_problems(error.problems)
        return None


def possible_duplicates(service: Service, address: str) -> list[selectors.Nearby] | None:
    """Open requests of the service near the address, before anyone types the answers; None
    when the address cannot be found (the form will say so when it is sent)."""
    if not address.strip():
        return None
    try:
        place = get_geocoder().geocode(address)
    except GeocoderUnavailable:
        return None
    if place is None:
        return None
    return selectors.open_requests_nearby(
        lat=place.lat,
        long=place.long,
        radius_m=max(float(service.duplicate_radius_m), MIN_CHECK_RADIUS_M),
        service=service,
        limit=5,
    )


def page(
    request: HttpRequest,
    *,
    channel: str,
    taken: Callable[[ServiceRequest], HttpResponse],
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The two steps of taking a request, for the desk and the ward office. Step 1: the service
    (and the address, kept from a search). Step 2, once a service is chosen: the open requests
    of that service nearby, then its questions and who is asking; sent, it is submitted."""
    source = request.POST if request.method == "POST" else request.GET
    code = source.get("service", "")
    service = actions.load_service(code) if code else None
    base = {**(context or {}), "city_time_zone": settings.CITY_TIME_ZONE}
    if service is None or not service.active:
        step = {
            "services": active_services(),
            "address": source.get("address", ""),
            "phone": source.get("phone", ""),
            "unknown": bool(code),
        }
        return render(
            request, "staff/choose_service.html", {**base, **step}, status=400 if code else 200
        )
    status = 200
    if request.method == "POST":
        form = IntakeForm(service, request.POST)
        submission = take(form, user=request.user, channel=channel)  # type: ignore[arg-type]
        if submission is not None:
            return taken(submission.request)
        status = 400
    else:
        initial = {"address": source.get("address", ""), "phone": source.get("phone", "")}
        form = IntakeForm(service, initial=initial)
    step = {
        "service": service,
        "form": form,
        "duplicates": possible_duplicates(service, form["address"].value() or ""),
    }
    return render(request, "staff/take_request.html", {**base, **step}, status=status)
