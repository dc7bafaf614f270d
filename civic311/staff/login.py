"""Staff log in (with the lockout of lockout.py), change their password (the strong-password
rules of AUTH_PASSWORD_VALIDATORS), and are logged out after a while idle (IdleLogout)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civic311.staff import lockout

LAST_SEEN = "civic311_last_seen"
# The session is written at most this often just to record activity.
_TOUCH_SECONDS = 60


class StaffAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts. Try again in %(minutes)d minutes, from a browser you "
            "have used before, or ask an administrator."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        assert self.request is not None
        if username and lockout.is_locked(self.request, username):
            # The password is not even checked: a locked account tells a guesser nothing.
            raise ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.STAFF_LOGIN_LOCKOUT_MINUTES},
            )
        try:
            return super().clean()
        except ValidationError:
            if username:
                lockout.record_failure(self.request, username)
            raise


class StaffLoginView(LoginView):
    template_name = "staff/login.html"
    redirect_authenticated_user = True
    authentication_form = StaffAuthenticationForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        lockout.record_success(self.request, response, form.get_user().get_username())
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error("__all__", "locked"):
            response.status_code = 429
        return response


@receiver(user_logged_in)
def _start_the_idle_clock(sender: type, request: HttpRequest | None, **kwargs: Any) -> None:
    """Every login (the console's, the admin's) starts the clock, so the first request after it
    writes nothing to the session."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


class IdleLogout:
    """Log out a session left idle for STAFF_SESSION_IDLE_MINUTES (a console left open on a
    shared desk); a console page then asks to log in again and comes back after."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(LAST_SEEN)
            if isinstance(seen, int) and now - seen > settings.STAFF_SESSION_IDLE_MINUTES * 60:
                logout(request)
                if request.path.startswith("/staff/"):
                    query = urlencode({"next": request.get_full_path(), "idle": 1})
                    return redirect(f"{reverse('staff:login')}?{query}")
            elif not isinstance(seen, int) or now - seen >= _TOUCH_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
