"""The console's forms: they parse and check input; the actions decide."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from civic311.catalog.models import Service
from civic311.choices import Priority, QueueSort, SlaState, Status
from civic311.departments.models import Department
from civic311.staff.queue import AGES, QueueFilters


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


ALL = "all"
ME, NOBODY = "me", "none"
MAX_BULK = 200


class QueueForm(forms.Form):
    """The queue's filters and sort, from the query string (what a saved view stores)."""

    department = forms.ChoiceField(label=_("Department"), required=False)
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=[(s, Status(s).label) for s in Status.open_values()],
    )
    service = forms.MultipleChoiceField(label=_("Service"), required=False)
    ward = forms.CharField(label=_("Ward"), required=False, max_length=32)
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any")), *Priority.choices]
    )
    sla = forms.ChoiceField(
        label=_("SLA"), required=False, choices=[("", _("Any")), *SlaState.choices]
    )
    age = forms.TypedChoiceField(
        label=_("Age"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any"))]
        + [(str(days), _("Older than %(days)d days") % {"days": days}) for days in AGES],
    )
    assignee = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[("", _("Anyone")), (ME, _("To me")), (NOBODY, _("To nobody"))],
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=QueueSort.choices)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(
        self,
        data: Any,
        *,
        departments: list[Department],
        services: list[Service],
        own_department: Department | None,
    ) -> None:
        if data is not None and not data.get("department"):
            # Without a pick, the user's own department (everyone's requests for the others).
            data = data.copy()
            data["department"] = own_department.code if own_department else ALL
        super().__init__(data)
        self.departments = {d.code: d for d in departments}
        self.services = {s.service_code: s for s in services}
        self.own_department = own_department
        set_choices(
            self,
            "department",
            [(ALL, _("All departments")), *((d.code, d.name) for d in departments)],
        )
        set_choices(self, "service", [(s.service_code, s.service_name) for s in services])

    def department_code(self) -> str:
        return str(self.cleaned_data.get("department") or ALL)

    def filters(self, user_id: int) -> QueueFilters:
        data = self.cleaned_data
        department = self.departments.get(self.department_code())
        assignee = data.get("assignee") or ""
        return QueueFilters(
            department_id=department.pk if department else None,
            statuses=tuple(data.get("status") or ()),
            service_ids=tuple(self.services[code].pk for code in data.get("service") or ()),
            ward=(data.get("ward") or "").strip(),
            priority=data.get("priority") or "",
            sla=data.get("sla") or "",
            older_than_days=data.get("age"),
            assignee_id=user_id if assignee == ME else None,
            unassigned=assignee == NOBODY,
            sort=data.get("sort") or QueueSort.OLDEST,
        )

    def query(self, **changes: Any) -> str:
        """The query string of these filters (without the page unless given), for links and
        saved views."""
        data = {**self.cleaned_data, **changes} if self.is_bound else dict(changes)
        pairs: list[tuple[str, str]] = []
        for name in self.fields:
            value = data.get(name)
            if value in (None, "", [], ()):
                continue
            if name == "sort" and value == QueueSort.OLDEST:
                continue
            if isinstance(value, list | tuple):
                pairs += [(name, str(v)) for v in value]
            else:
                pairs.append((name, str(value)))
        return urlencode(pairs)


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    query = forms.CharField(required=False, max_length=500)
    share = forms.BooleanField(label=_("Share with my department"), required=False)


class TrackingNumbers(forms.MultipleChoiceField):
    """Any tracking numbers: whether each exists and may be changed is decided per request."""

    def valid_value(self, value: str) -> bool:
        return 0 < len(value) <= 20


class BulkForm(forms.Form):
    """One change applied to up to MAX_BULK requests picked in the queue."""

    ASSIGN, STATUS, CLOSE = "assign", "status", "close"
    number = TrackingNumbers(error_messages={"required": _("Pick the requests first.")})
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(ASSIGN, _("Assign")), (STATUS, _("Set status")), (CLOSE, _("Close"))],
    )
    assignee = forms.TypedChoiceField(
        label=_("Person"), required=False, coerce=int, empty_value=None
    )
    crew = forms.CharField(label=_("Crew"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "—")]
        + [(s, Status(s).label) for s in Status.open_values() if s != Status.OPEN],
    )
    close_status = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        choices=[("", "—")]
        + [(s, Status(s).label) for s in Status.closed_values() if s != Status.CLOSED_DUPLICATE],
    )
    note = forms.CharField(label=_("Public note"), required=False, widget=forms.Textarea)
    back = forms.CharField(required=False, max_length=600)

    def __init__(self, data: Any, *, people: list[tuple[int, str]]) -> None:
        super().__init__(data)
        set_choices(self, "assignee", [("", "—"), *((str(pk), n) for pk, n in people)])

    def clean_number(self) -> list[str]:
        numbers = list(dict.fromkeys(self.cleaned_data["number"]))
        if len(numbers) > MAX_BULK:
            raise forms.ValidationError(
                _("Pick at most %(limit)d requests at a time.") % {"limit": MAX_BULK}
            )
        return numbers

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == self.STATUS and not data.get("status"):
            self.add_error("status", _("Pick the status to set."))
        if action == self.CLOSE and not data.get("close_status"):
            self.add_error("close_status", _("Pick the reason for closing."))
        return data
