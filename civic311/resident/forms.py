from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("Tracking number"),
        max_length=40,
        help_text=_("For example 26-00012345. Spaces, a missing dash or year are fine."),
        error_messages={"required": _("Type the number you were given.")},
    )


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        error_messages={
            "required": _("Type your email address."),
            "invalid": _("This is not an email address."),
        },
    )
