"""One-click unsubscribe: by the link in the email (a page, then a POST) or by the mail
client's own RFC 8058 POST, which carries no CSRF token. Nothing is sent afterwards."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.choices import NotificationStatus, Status
from civic311.notifications.models import Delivery, Subscription
from civic311.notifications.subscriptions import follow_by_email
from civic311.service_requests.actions import Actor, change_status, close
from civic311.testing import Places, Services
from civic311.testing.mail import Mailbox, run_worker, submit_with_email

pytestmark = pytest.mark.django_db(transaction=True)

STREETS = Actor(label="Transportation")


def test_unsubscribing_by_the_link_stops_the_emails(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    request = submit_with_email(places, "rosa@example.org")
    run_worker()
    [received] = mailbox.messages
    url = received["List-Unsubscribe"].strip()[1:-1]
    path = url.removeprefix("https://311.example.org")

    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200
    assert b"rosa@" not in page.content
    assert Subscription.objects.get().unsubscribed_at is None  # the GET changes nothing
    done = client.post(path)
    assert done.status_code == 200
    assert b"You have unsubscribed" in done.content

    close(request=request, status=Status.CLOSED_FIXED, actor=STREETS)
    run_worker()
    assert len(mailbox.messages) == 1


def test_the_mail_clients_one_click_post_unsubscribes(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    request = submit_with_email(places, "rosa@example.org")
    run_worker()
    [received] = mailbox.messages
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = received["List-Unsubscribe"].strip()[1:-1].removeprefix("https://311.example.org")

    response = Client(enforce_csrf_checks=True).post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert Subscription.objects.get().unsubscribed_at is not None
    change_status(request=request, status=Status.IN_PROGRESS, actor=STREETS)
    run_worker()
    assert len(mailbox.messages) == 1


def test_an_email_already_queued_is_not_sent_after_unsubscribing(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    request = submit_with_email(places, "rosa@example.org")
    run_worker()
    change_status(request=request, status=Status.IN_PROGRESS, actor=STREETS)
    # Dispatch only: the delivery is queued, not yet sent.
    from civic311.notifications.tasks import dispatch_event

    dispatch_event.call(request.timeline.order_by("-id").values_list("id", flat=True)[0])
    token = Subscription.objects.get().token
    Client().post(f"/notifications/unsubscribe/{token}")

    run_worker()

    assert len(mailbox.messages) == 1
    assert Delivery.objects.filter(status=NotificationStatus.CANCELLED).count() == 1


def test_following_again_after_unsubscribing_asks_for_confirmation(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    request = submit_with_email(places, "rosa@example.org")
    subscription = follow_by_email(request=request, email="neighbour@example.org", language="en")
    Client().post(f"/notifications/unsubscribe/{subscription.token}")

    again = follow_by_email(request=request, email="neighbour@example.org", language="en")

    assert again.confirmed_at is None and again.unsubscribed_at is None
    run_worker()
    subjects = [m["Subject"] for m in mailbox.to("neighbour@example.org")]
    assert subjects == [f"Confirm: follow 311 request {request.tracking_number}"]
