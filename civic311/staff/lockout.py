"""Staff login lockout, counted in the database so every web worker sees the same failures.

Two limits, both over the last STAFF_LOGIN_LOCKOUT_MINUTES:

- **per username and address**: STAFF_LOGIN_MAX_FAILURES wrong passwords for one account from
  one address lock that pair (someone guessing from one place);
- **per username, from anywhere**: STAFF_LOGIN_ACCOUNT_MAX_FAILURES failures from browsers that
  are not known for the account lock the account for every unknown browser (someone guessing
  from many addresses).

An attacker could keep the second limit tripped and so lock a person out for good. A browser
where the person has logged in before carries a signed *device cookie* naming the account
(OWASP's "device cookies"): it is judged only on its own failures, so the person keeps getting
in from their usual browsers while unknown browsers wait. A successful login clears that
browser's and that address's failures; an administrator can delete a user's rows in the admin
(*Failed logins*) to lift a lock at once.

Ours and not django-axes (8.3.1, tried on a Django project of its own with the same attack:
one wrong password from each of 25 addresses, then the owner from their usual browser, a limit
of 5). Axes compares one failure limit with the failures of each of its lockout parameters and
knows no device cookie, so it does one of the two jobs above, never both: locking per username
and address it let all 25 guesses be checked; locking per username (alone or beside the pair)
it stopped them after 5 and answered the owner 429 in their usual browser, which is the
lock-out-the-supervisor attack. Ours checks 20 (the account limit) and lets the owner in. A
failed login costs ours 5 queries (two counts, the user, a delete of old rows, the insert),
axes's database handler 12 to 14.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from civic311.lib.ratelimit import client_address
from civic311.staff.models import LoginFailure

DEVICE_COOKIE = "civic311_staff_device"
_SALT = "civic311.staff.device"
_MAX_ACCOUNTS_PER_DEVICE = 8  # a shared desk computer is used by a few people
_DEVICE_COOKIE_AGE = 365 * 24 * 3600


def _normal(username: str) -> str:
    return username.strip().lower()[:150]


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=settings.STAFF_LOGIN_LOCKOUT_MINUTES)


def _device(request: HttpRequest) -> tuple[str, list[str]]:
    """The browser's device id and the accounts that logged in from it ("" and [] if none)."""
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    if not raw:
        return "", []
    try:
        value = signing.loads(raw, salt=_SALT, max_age=_DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return "", []
    if not isinstance(value, dict):
        return "", []
    device, accounts = value.get("d"), value.get("u")
    if not isinstance(device, str) or not isinstance(accounts, list):
        return "", []
    return device, [a for a in accounts if isinstance(a, str)]


def _known_device(request: HttpRequest, username: str) -> str:
    device, accounts = _device(request)
    return device if device and _normal(username) in accounts else ""


def _address(request: HttpRequest) -> str:
    address = client_address(request)
    return address if address and address != "unknown" else "0.0.0.0"  # noqa: S104


def is_locked(request: HttpRequest, username: str) -> bool:
    name = _normal(username)
    failures = LoginFailure.objects.filter(username=name, at__gte=_window_start())
    device = _known_device(request, name)
    if device:
        return failures.filter(device=device).count() >= settings.STAFF_LOGIN_MAX_FAILURES
    if failures.filter(address=_address(request)).count() >= settings.STAFF_LOGIN_MAX_FAILURES:
        return True
    return failures.filter(device="").count() >= settings.STAFF_LOGIN_ACCOUNT_MAX_FAILURES


def record_failure(request: HttpRequest, username: str) -> None:
    name = _normal(username)
    LoginFailure.objects.filter(username=name, at__lt=_window_start()).delete()
    LoginFailure.objects.create(
        username=name,
        address=_address(request),
        device=_known_device(request, name),
        at=timezone.now(),
    )


def record_success(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """Clear this browser's and address's failures for the account, and remember the browser."""
    name = _normal(username)
    device, accounts = _device(request)
    LoginFailure.objects.filter(username=name, address=_address(request)).delete()
    if device and name in accounts:
        LoginFailure.objects.filter(username=name, device=device).delete()
    device = device or secrets.token_hex(16)
    accounts = [name, *(a for a in accounts if a != name)][:_MAX_ACCOUNTS_PER_DEVICE]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps({"d": device, "u": accounts}, salt=_SALT),
        max_age=_DEVICE_COOKIE_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
        path="/staff/",
    )
