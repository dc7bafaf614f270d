"""A task runs at least once: dispatching the same timeline entry again, or running the same
send twice, sends nothing more (one delivery per follower, entry and kind)."""

from __future__ import annotations

import pytest

from civic311.notifications.channels.email.sending import send_delivery
from civic311.notifications.models import Delivery
from civic311.notifications.tasks import dispatch_event
from civic311.service_requests.models import TimelineEntry
from civic311.testing import Places, Services
from civic311.testing.mail import Mailbox, run_worker, submit_with_email

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_event_dispatched_twice_is_emailed_once(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    request = submit_with_email(places, "rosa@example.org")
    opened = TimelineEntry.objects.get(request=request, type="request.opened")
    dispatch_event.enqueue(opened.pk)
    dispatch_event.enqueue(opened.pk)

    run_worker()

    assert len(mailbox.messages) == 1
    delivery = Delivery.objects.get()
    send_delivery.enqueue(delivery.pk)
    run_worker()
    assert len(mailbox.messages) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1
