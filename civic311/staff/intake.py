"""Taking a request on someone's behalf: a caller at the 311 desk, a constituent at a ward
office. One form for both: the service's questions (catalog.questions, the resident page's own,
in the console's language) with the place and who is asking. The submission preview says what
is wrong, next to each field, and which open requests nearby to tell the caller about.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from civic311.catalog.models import Service
from civic311.catalog.questions import QuestionForm
from civic311.lib.errors import DomainError, Problem
from civic311.service_requests import actions, selectors
from civic311.service_requests.actions import Actor, Contact, Preview
from civic311.service_requests.models import ServiceRequest

# Problems about the place come back named after the API's fields; the form has one.
_PLACE_FIELDS = {"address_string", "address_id", "lat", "long"}
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


class IntakeForm(QuestionForm):
    """The service's questions, where, and who is asking. Checked by the submission preview,
    not here: the form only carries the values, so every channel gets the same answers to bad
    input."""

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
        super().__init__(service, *args, **kwargs)
        # The questions come right after the address: the caller describes the problem first.
        self.order_fields(["address", *self.question_names, "description"])

    @property
    def required_names(self) -> list[str]:
        """The fields marked as needed: the address, and the required questions."""
        return ["address", *super().required_names]

    def problem_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in _CONTACT_FIELDS]

    def contact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in _CONTACT_FIELDS]

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
        )

    def preview(self) -> Preview:
        return actions.preview_submission(
            service_code=self.service.service_code,
            address=self.cleaned_data["address"],
            description=self.cleaned_data.get("description", ""),
            answers=self.answers(),
            contact=self.contact(),
        )

    def add_problems(self, problems: Any) -> list[Problem]:
        for problem in super().add_problems(problems):
            name = "address" if problem.field in _PLACE_FIELDS else problem.field
            self.add_error(name if name in self.fields else None, problem.message)
        return []


def take(
    form: IntakeForm, preview: Preview, *, user: AbstractBaseUser, channel: str
) -> ServiceRequest | None:
    """Store the previewed request on the caller's behalf, or put every problem on the form."""
    if preview.problems:
        form.add_problems(preview.problems)
        return None
    try:
        return actions.submit_previewed(
            preview=preview, channel=channel, actor=Actor.staff(user)
        ).request
    except DomainError as error:
        form.add_problems(error.problems)
        return None


def look_nearby(service: Service, address: str) -> Preview:
    """Before anyone types the answers: where the address is (no look-up without one), and the
    open requests nearby that the core offers for this service."""
    return actions.preview_submission(service_code=service.service_code, address=address)


def _duplicates(preview: Preview) -> list[selectors.Nearby] | None:
    """What the desk tells the caller about; None while the place is not known."""
    return list(preview.offer) if preview.place is not None else None


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
        if form.is_valid():
            preview = form.preview()
            stored = take(form, preview, user=request.user, channel=channel)  # type: ignore[arg-type]
            if stored is not None:
                return taken(stored)
        else:  # refused by Django (an address too long): shown back without a look-up
            preview = look_nearby(service, "")
        status = 400
    else:
        initial = {"address": source.get("address", ""), "phone": source.get("phone", "")}
        form = IntakeForm(service, initial=initial)
        preview = look_nearby(service, initial["address"])
    step = {
        "service": service,
        "form": form,
        "duplicates": _duplicates(preview),
        "looks_nearby": preview.looks_nearby,
    }
    return render(request, "staff/take_request.html", {**base, **step}, status=status)
