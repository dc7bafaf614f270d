"""The forms of the request page's work actions (one per action in service_requests/actions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civic311.choices import Status
from civic311.service_requests.models import ServiceRequest
from civic311.staff.forms import set_choices
from civic311.staff.models import ResponseTemplate

OPEN_STATUSES = [(s, Status(s).label) for s in Status.open_values()]
CLOSING = [(s, Status(s).label) for s in Status.closed_values() if s != Status.CLOSED_DUPLICATE]


class _WithTemplate(forms.Form):
    """A public note typed, or taken from a response template of the request's service."""

    note = forms.CharField(label=_("Public note"), required=False, max_length=4000)
    template = forms.TypedChoiceField(
        label=_("Or a response template"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self, data: Any = None, *, templates: Sequence[ResponseTemplate] = (), **kw: Any
    ) -> None:
        super().__init__(data, **kw)
        self.templates = {t.pk: t for t in templates}
        set_choices(
            self,
            "template",
            [
                ("", "—"),
                *(
                    (str(t.pk), f"{t.name} ({t.get_status_display()})" if t.status else t.name)
                    for t in templates
                ),
            ],
        )

    def status_set(self) -> str:
        return ""

    def the_note(self) -> str:
        """The typed note, else the picked template's text."""
        return str(self.cleaned_data.get("note") or "").strip() or self._template_text()

    def _template_text(self) -> str:
        chosen = self.templates.get(self.cleaned_data.get("template") or 0)
        return chosen.text if chosen is not None else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = self.templates.get(data.get("template") or 0)
        status = self.status_set()
        if chosen is not None and chosen.status and status and chosen.status != status:
            self.add_error(
                "template",
                _("This template is for “%(status)s”.") % {"status": chosen.get_status_display()},
            )
        return data


class StatusForm(_WithTemplate):
    status = forms.ChoiceField(label=_("New status"), choices=OPEN_STATUSES)

    def status_set(self) -> str:
        return str(self.data.get("status", ""))


class CloseForm(_WithTemplate):
    status = forms.ChoiceField(label=_("Reason"), choices=CLOSING)

    def status_set(self) -> str:
        return str(self.data.get("status", ""))


class ScheduleForm(_WithTemplate):
    when = forms.DateTimeField(
        label=_("Work booked for"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("In the city's time."),
    )

    def status_set(self) -> str:
        return Status.SCHEDULED

    def booked_for(self) -> datetime:
        """The typed time is the city's; stored as UTC."""
        typed: datetime = self.cleaned_data["when"]
        return typed.replace(tzinfo=None).replace(tzinfo=ZoneInfo(settings.CITY_TIME_ZONE))


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(
        label=_("Person"), required=False, coerce=int, empty_value=None
    )
    crew = forms.CharField(label=_("Crew"), required=False, max_length=100)
    note = forms.CharField(label=_("Internal note"), required=False, max_length=4000)

    def __init__(
        self, data: Any = None, *, people: Sequence[tuple[int, str]] = (), **kw: Any
    ) -> None:
        super().__init__(data, **kw)
        set_choices(self, "assignee", [("", _("Nobody")), *((str(pk), n) for pk, n in people)])


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=4000)
    public = forms.BooleanField(label=_("Public: the resident sees it"), required=False)


class RerouteForm(forms.Form):
    service = forms.ChoiceField(label=_("To the service"), required=False)
    department = forms.ChoiceField(label=_("Or to the department"), required=False)
    reason = forms.CharField(label=_("Reason (the resident sees it)"), max_length=4000)

    def __init__(
        self,
        data: Any = None,
        *,
        services: Sequence[tuple[str, str]] = (),
        departments: Sequence[tuple[str, str]] = (),
        **kw: Any,
    ) -> None:
        super().__init__(data, **kw)
        set_choices(self, "service", [("", "—"), *services])
        set_choices(self, "department", [("", "—"), *departments])


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Duplicate of request"), max_length=20)
    note = forms.CharField(label=_("Public note"), required=False, max_length=4000)


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("Why it is opened again"), max_length=4000)


def templates_for(request: ServiceRequest) -> list[ResponseTemplate]:
    return list(
        ResponseTemplate.objects.filter(
            Q(service__isnull=True) | Q(service_id=request.service_id)
        ).order_by("name")
    )
