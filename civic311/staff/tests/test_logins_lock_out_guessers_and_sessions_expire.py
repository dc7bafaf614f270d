"""Staff login hardening: repeated wrong passwords lock the account for the guesser (from one
address, or from many) but not for its owner on a browser they used before; strong passwords
are required; an idle session is logged out."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from civic311.staff.lockout import DEVICE_COOKIE
from civic311.staff.login import LAST_SEEN
from civic311.staff.models import LoginFailure
from civic311.testing import STAFF_PASSWORD, Staff

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed attempts."


def attempt(client: Client, password: str, address: str = "203.0.113.7") -> Any:
    return client.post(
        "/staff/login/",
        {"username": "walt_water", "password": password},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def limits(settings: Any) -> Any:
    settings.STAFF_LOGIN_MAX_FAILURES = 3
    settings.STAFF_LOGIN_ACCOUNT_MAX_FAILURES = 5
    settings.STAFF_LOGIN_LOCKOUT_MINUTES = 15
    return settings


def test_repeated_failures_from_one_address_lock_it_out_even_with_the_right_password(
    staff: Staff, limits: Any
) -> None:
    guesser = Client()
    for _ in range(3):
        assert attempt(guesser, "wrong").status_code == 200
    locked = attempt(guesser, STAFF_PASSWORD)
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert guesser.get("/staff/").status_code == 302  # not logged in

    # Another address is not locked by that one's failures.
    elsewhere = Client()
    assert attempt(elsewhere, STAFF_PASSWORD, address="198.51.100.4").status_code == 302


def test_the_lock_lifts_when_the_failures_are_older_than_the_window(
    staff: Staff, limits: Any
) -> None:
    client = Client()
    for _ in range(3):
        attempt(client, "wrong")
    assert attempt(client, STAFF_PASSWORD).status_code == 429
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert attempt(client, STAFF_PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="walt_water", address="203.0.113.7").exists()


def test_guessing_from_many_addresses_locks_unknown_browsers_but_not_the_owner_s(
    staff: Staff, limits: Any
) -> None:
    owner = Client()
    assert attempt(owner, STAFF_PASSWORD, address="192.0.2.10").status_code == 302
    assert DEVICE_COOKIE in owner.cookies
    owner.post("/staff/logout/")

    for n in range(5):  # one failure each from five addresses: under the per-address limit
        attempt(Client(), "wrong", address=f"198.51.100.{n + 1}")
    newcomer = attempt(Client(), STAFF_PASSWORD, address="198.51.100.99")
    assert newcomer.status_code == 429

    # The owner's usual browser still gets in, from any address.
    assert attempt(owner, STAFF_PASSWORD, address="203.0.113.50").status_code == 302


def test_a_known_browser_is_locked_by_its_own_failures_only(staff: Staff, limits: Any) -> None:
    owner = Client()
    attempt(owner, STAFF_PASSWORD)
    owner.post("/staff/logout/")
    for _ in range(3):
        attempt(owner, "wrong")
    assert attempt(owner, STAFF_PASSWORD).status_code == 429


def test_a_forged_device_cookie_is_ignored(staff: Staff, limits: Any) -> None:
    for n in range(5):
        attempt(Client(), "wrong", address=f"198.51.100.{n + 1}")
    forger = Client()
    forger.cookies[DEVICE_COOKIE] = '{"d": "x", "u": ["walt_water"]}'
    assert attempt(forger, STAFF_PASSWORD, address="198.51.100.77").status_code == 429


def test_weak_passwords_are_refused_when_staff_change_theirs(staff: Staff) -> None:
    client = Client()
    attempt(client, STAFF_PASSWORD)
    response = client.post(
        "/staff/password/",
        {"old_password": STAFF_PASSWORD, "new_password1": "water123", "new_password2": "water123"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "This password is too short. It must contain at least 12 characters." in text
    strong = "a sinking manhole on Lake Street"
    response = client.post(
        "/staff/password/",
        {"old_password": STAFF_PASSWORD, "new_password1": strong, "new_password2": strong},
    )
    assert response.status_code == 302
    staff.water.refresh_from_db()
    assert staff.water.check_password(strong)


def test_an_idle_session_is_logged_out(staff: Staff, settings: Any) -> None:
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    client = Client()
    attempt(client, STAFF_PASSWORD)
    assert client.get("/staff/queue/").status_code == 200

    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/staff/queue/?sort=due")
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=%2Fstaff%2Fqueue%2F%3Fsort%3Ddue&idle=1"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You were logged out after a while without activity." in page


def test_an_active_session_stays(staff: Staff, settings: Any) -> None:
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    client = Client()
    attempt(client, STAFF_PASSWORD)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/staff/queue/").status_code == 200
    assert client.session[LAST_SEEN] >= int(time.time()) - 5  # the visit counts as activity
