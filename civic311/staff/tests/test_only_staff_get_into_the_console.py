"""The console's door: staff log in and get in; anyone else is sent to log in or refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from civic311.testing import STAFF_PASSWORD, Staff

pytestmark = pytest.mark.django_db


def test_a_visitor_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=/staff/")


def test_staff_log_in_with_their_password_and_get_in(client: Client, staff: Staff) -> None:
    response = client.post(
        "/staff/login/?next=/staff/",
        {"username": "walt_water", "password": STAFF_PASSWORD, "next": "/staff/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    page = client.get("/staff/")
    assert page.status_code == 200
    assert "Walt" in page.content.decode()


def test_logging_in_without_a_next_page_lands_in_the_console(client: Client, staff: Staff) -> None:
    response = client.post("/staff/login/", {"username": "walt_water", "password": STAFF_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.get(response["Location"]).status_code == 200


def test_a_wrong_password_does_not_get_in(client: Client, staff: Staff) -> None:
    response = client.post("/staff/login/", {"username": "walt_water", "password": "nope"})
    assert response.status_code == 200
    assert client.get("/staff/").status_code == 302


def test_a_user_without_a_role_is_refused(client: Client, django_user_model: Any) -> None:
    client.force_login(django_user_model.objects.create(username="resident_with_account"))
    assert client.get("/staff/").status_code == 403
