"""The developer sign-up page: a test key at once; a production key after the city approves it
(an app with a privacy policy, Chicago's model)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from civic311.apikeys.actions import issue_key
from civic311.choices import KeyKind
from civic311.lib import ratelimit

SIGNUPS_PER_MINUTE = 5


class KeyRequestForm(forms.Form):
    app_name = forms.CharField(label=_("Your app's name"), max_length=100)
    contact_email = forms.EmailField(label=_("Your email"))
    kind = forms.ChoiceField(
        label=_("Kind of key"),
        choices=KeyKind.choices,
        initial=KeyKind.TEST,
        widget=forms.RadioSelect,
    )
    app_url = forms.URLField(label=_("App website"), required=False, assume_scheme="https")
    privacy_policy_url = forms.URLField(
        label=_("Privacy policy"),
        required=False,
        assume_scheme="https",
        help_text=_("Required for a production key: how your app treats residents' data."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("kind") == KeyKind.PRODUCTION and not data.get("privacy_policy_url"):
            self.add_error("privacy_policy_url", _("A production key needs a privacy policy."))
        return data


def signup(request: HttpRequest) -> HttpResponse:
    issued = None
    form = KeyRequestForm(request.POST or None)
    if request.method == "POST":
        too_many = ratelimit.hit("signup", ratelimit.client_address(request), SIGNUPS_PER_MINUTE)
        if too_many is not None:
            response = render(
                request, "georeport/developers.html", {"form": form, "limited": True}, status=429
            )
            response["Retry-After"] = str(too_many)
            return response
        if form.is_valid():
            issued = issue_key(
                app_name=form.cleaned_data["app_name"],
                contact_email=form.cleaned_data["contact_email"],
                kind=form.cleaned_data["kind"],
                app_url=form.cleaned_data["app_url"],
                privacy_policy_url=form.cleaned_data["privacy_policy_url"],
            )
            form = KeyRequestForm()
    return render(request, "georeport/developers.html", {"form": form, "issued": issued})
