"""The console's forms: they parse and check input; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civic311.choices import Status


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


MAX_BULK = 200


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
