"""The tracking page's "Follow this request by email" form."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.resident.tests.conftest import Report

pytestmark = pytest.mark.django_db


def test_a_bad_address_is_refused_next_to_the_field(client: Client, report: Report) -> None:
    sr = report()

    response = client.post(f"/track/{sr.tracking_number}/follow", {"email": "not-an-address"})

    assert response.status_code == 400
    html = response.content.decode()
    assert (
        '<p class="error" id="email-error" role="alert">This is not an email address.</p>' in html
    )
    assert 'aria-describedby="email-hint email-error" aria-invalid="true"' in html
    assert "not-an-address" not in html


def test_a_good_address_says_check_your_inbox(client: Client, report: Report) -> None:
    sr = report()

    response = client.post(
        f"/track/{sr.tracking_number}/follow", {"email": "a.neighbour@example.net"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/track/{sr.tracking_number}?following=1#follow"
    html = client.get(response["Location"]).content.decode()
    assert "Check your inbox: we sent you a link to confirm." in html


def test_following_needs_the_csrf_token(report: Report) -> None:
    sr = report()
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/track/{sr.tracking_number}/follow", {"email": "a@example.net"})

    assert response.status_code == 403


def test_the_form_is_only_for_posting(client: Client, report: Report) -> None:
    sr = report()

    assert client.get(f"/track/{sr.tracking_number}/follow").status_code == 405
