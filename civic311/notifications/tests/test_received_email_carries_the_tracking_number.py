"""Submitting with an email subscribes the reporter: the "received" email arrives, in their
language, with the tracking number, the one-click unsubscribe headers and no personal data."""

from __future__ import annotations

import pytest

from civic311.choices import NotificationKind, NotificationStatus
from civic311.notifications.models import Delivery, Subscription
from civic311.testing import Places, Services
from civic311.testing.mail import (
    Mailbox,
    html_of,
    run_worker,
    submit_with_email,
    text_of,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_reporter_receives_the_tracking_number_by_email(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    request = submit_with_email(places, "Rosa@Example.org")
    assert mailbox.messages == []  # nothing in the request path

    run_worker()

    [message] = mailbox.to("rosa@example.org")
    number = request.tracking_number
    assert number in message["Subject"]
    text = text_of(message)
    assert f"Your tracking number is {number}" in text
    assert "Street Light Out" in text
    assert "233 S Wacker Dr" in text
    assert f"https://311.example.org/track/{number}" in text
    assert number in html_of(message)
    subscription = Subscription.objects.get(request=request)
    assert subscription.is_reporter and subscription.confirmed_at is not None
    unsubscribe = f"https://311.example.org/notifications/unsubscribe/{subscription.token}"
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.kind == NotificationKind.RECEIVED
    assert delivery.status == NotificationStatus.SENT
    assert message["Message-ID"].strip() == delivery.message_id


def test_a_spanish_speaking_reporter_is_written_to_in_spanish(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    request = submit_with_email(places, "lucia@example.org", language="es-MX")

    run_worker()

    [message] = mailbox.messages
    number = request.tracking_number
    assert message["Subject"] == f"Solicitud 311 {number} recibida"
    text = text_of(message)
    assert f"Su número de seguimiento es {number}" in text
    assert "Para dejar de recibirlos" in text
    assert "recibimos" in html_of(message).lower()


def test_the_email_never_shows_the_reporters_name_or_phone(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    submit_with_email(places, "rosa@example.org", first_name="Rosalind", phone="773-867-5309")

    run_worker()

    [message] = mailbox.messages
    for body in (text_of(message), html_of(message)):
        assert "Rosalind" not in body
        assert "5309" not in body


def test_a_submission_without_an_email_subscribes_nobody(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    submit_with_email(places, "")

    run_worker()

    assert mailbox.messages == []
    assert not Subscription.objects.exists()


def test_a_developers_test_request_notifies_nobody(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    submit_with_email(places, "dev@example.org", is_test=True)

    run_worker()

    assert mailbox.messages == []
    assert not Delivery.objects.exists()
