"""The outbox runs a task at least once: the same event dispatched twice is delivered once."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.apikeys.actions import IssuedKey
from civic311.notifications.tasks import dispatch_event
from civic311.service_requests.models import TimelineEntry
from civic311.testing import Places, Services
from civic311.webhooks.models import WebhookDelivery
from civic311.webhooks.tests.support import Receiver, register, run_worker, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_entry_dispatched_twice_is_delivered_once(
    client: Client, services: Services, places: Places, app_key: IssuedKey, receiver: Receiver
) -> None:
    register(client, app_key, receiver, "/hook", scope="own")
    number = submit(client, app_key, places.ward2_near_north)
    entry = TimelineEntry.objects.get(request__tracking_number=number)
    dispatch_event.enqueue(entry.pk)  # a second copy of the outbox task

    run_worker()
    dispatch_event.enqueue(entry.pk)  # and one more, after the delivery went out
    run_worker()

    assert len(receiver.on("/hook")) == 1
    assert WebhookDelivery.objects.get().attempts == 1
