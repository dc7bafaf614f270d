"""Merging a duplicate moves its followers to the parent: they are told why, once, and from then
on hear about the parent."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.choices import Status
from civic311.notifications.models import Subscription
from civic311.notifications.subscriptions import follow_by_email
from civic311.notifications.tasks import dispatch_event
from civic311.service_requests.actions import Actor, close, merge
from civic311.service_requests.models import TimelineEntry
from civic311.testing import Places, Services
from civic311.testing.mail import Mailbox, run_worker, submit_with_email, text_of

pytestmark = pytest.mark.django_db(transaction=True)

STREETS = Actor(label="Transportation")


def test_followers_of_a_duplicate_are_moved_to_the_parent_and_told_why(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    parent = submit_with_email(places, "first@example.org", where=places.ward2_near_north)
    child = submit_with_email(places, "second@example.org", where=places.ward1_near_west)
    follower = follow_by_email(request=child, email="neighbour@example.org", language="en")
    Client().post(f"/notifications/confirm/{follower.token}")
    run_worker()

    merge(request=child, into=parent, actor=STREETS)
    run_worker()

    number, parent_number = child.tracking_number, parent.tracking_number
    for address in ("second@example.org", "neighbour@example.org"):
        moved = mailbox.to(address)[-1]
        assert moved["Subject"] == f"311 request {number}: now followed as a duplicate"
        text = text_of(moved)
        assert f"reports the same problem as request {parent_number}" in text
        assert f"https://311.example.org/track/{parent_number}" in text
    moved_subscription = Subscription.objects.get(request=parent, address="neighbour@example.org")
    assert moved_subscription.confirmed_at is not None
    assert mailbox.to("first@example.org")[-1]["Subject"].endswith("received")

    # Dispatching the merge again changes nothing and sends nothing.
    merged = TimelineEntry.objects.get(request=child, type="request.merged")
    dispatch_event.enqueue(merged.pk)
    run_worker()
    count = len(mailbox.messages)
    assert count == 5  # 2 received, 1 confirmation, 2 moved

    close(request=parent, status=Status.CLOSED_FIXED, actor=STREETS, note="Bulb replaced.")
    run_worker()

    closed = [m["To"] for m in mailbox.messages[count:]]
    assert sorted(closed) == ["first@example.org", "neighbour@example.org", "second@example.org"]


def test_an_old_unsubscribe_link_still_works_after_the_move(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    parent = submit_with_email(places, "first@example.org", where=places.ward2_near_north)
    child = submit_with_email(places, "second@example.org", where=places.ward1_near_west)
    run_worker()
    old_token = Subscription.objects.get(request=child).token
    merge(request=child, into=parent, actor=STREETS)
    run_worker()

    Client().post(f"/notifications/unsubscribe/{old_token}")
    close(request=parent, status=Status.CLOSED_FIXED, actor=STREETS)
    run_worker()

    assert [m["Subject"].split()[-1] for m in mailbox.to("second@example.org")] == [
        "received",
        "duplicate",
    ]
