"""Anyone can follow a request from the tracking page, with no account; followers who are not
the reporter confirm first (double opt-in), and the confirm link needs a POST."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.choices import Status
from civic311.lib.errors import InvalidInput
from civic311.notifications.models import Subscription
from civic311.notifications.subscriptions import follow_by_email
from civic311.service_requests.actions import Actor, change_status, close
from civic311.testing import Places, Services
from civic311.testing.mail import (
    Mailbox,
    html_of,
    run_worker,
    submit_with_email,
    text_of,
)

pytestmark = pytest.mark.django_db(transaction=True)

STREETS = Actor(label="Transportation")


def test_a_follower_gets_only_the_confirmation_until_they_confirm(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    request = submit_with_email(places, "rosa@example.org", first_name="Rosalind")
    subscription = follow_by_email(request=request, email=" Neighbour@Example.org ", language="en")
    change_status(request=request, status=Status.IN_PROGRESS, actor=STREETS)
    run_worker()

    [confirmation] = mailbox.to("neighbour@example.org")
    number = request.tracking_number
    assert confirmation["Subject"] == f"Confirm: follow 311 request {number}"
    link = f"https://311.example.org/notifications/confirm/{subscription.token}"
    assert link in text_of(confirmation)
    assert "Rosalind" not in text_of(confirmation) + html_of(confirmation)
    assert confirmation["List-Unsubscribe"] is None

    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/notifications/confirm/{subscription.token}")
    assert page.status_code == 200
    assert b"Confirm" in page.content
    assert b"neighbour@" not in page.content
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None  # a link scanner's GET confirms nothing

    csrf = page.cookies["csrftoken"].value
    done = client.post(
        f"/notifications/confirm/{subscription.token}", {"csrfmiddlewaretoken": csrf}
    )
    assert done.status_code == 200
    assert b"You are following this request" in done.content
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    close(request=request, status=Status.CLOSED_FIXED, actor=STREETS, note="Bulb replaced.")
    run_worker()

    confirmation, closed = mailbox.to("neighbour@example.org")
    assert closed["Subject"] == f"311 request {number} closed"
    assert "Bulb replaced." in text_of(closed)
    for body in (text_of(closed), html_of(closed)):
        assert "Rosalind" not in body


def test_following_twice_is_harmless(services: Services, places: Places, mailbox: Mailbox) -> None:
    request = submit_with_email(places, "rosa@example.org")
    first = follow_by_email(request=request, email="neighbour@example.org", language="en")
    second = follow_by_email(request=request, email="NEIGHBOUR@example.org", language="es")
    run_worker()

    assert first.pk == second.pk
    assert len(mailbox.to("neighbour@example.org")) == 1


def test_following_as_the_reporter_needs_no_confirmation(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    request = submit_with_email(places, "rosa@example.org")
    run_worker()

    subscription = follow_by_email(request=request, email="rosa@example.org", language="en")

    assert subscription.is_reporter and subscription.confirmed_at is not None
    assert Subscription.objects.count() == 1


def test_an_address_that_is_not_an_email_is_refused(services: Services, places: Places) -> None:
    request = submit_with_email(places, "")

    with pytest.raises(InvalidInput) as refused:
        follow_by_email(request=request, email="not an email", language="en")

    assert [p.code for p in refused.value.problems] == ["email.invalid"]
    assert not Subscription.objects.exists()


def test_an_unknown_link_says_so(db: None) -> None:
    response = Client().get("/notifications/confirm/not-a-token")
    assert response.status_code == 404
    assert b"This link is not valid" in response.content
