"""The worker runs the outbox: every timeline entry is dispatched to the registered channels."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from civic311.choices import Channel, Status
from civic311.notifications import dispatch
from civic311.service_requests.actions import Actor, close, submit_request
from civic311.service_requests.models import TimelineEntry
from civic311.testing import Places, Services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seen() -> Iterator[list[tuple[str, str]]]:
    events: list[tuple[str, str]] = []

    def record(entry: TimelineEntry) -> None:
        events.append((entry.request.tracking_number, entry.type))

    dispatch.register("test-recorder")(record)
    yield events
    dispatch._handlers.pop("test-recorder")


def test_the_worker_dispatches_every_event_once(
    services: Services, places: Places, seen: list[tuple[str, str]]
) -> None:
    lat, long = places.ward2_near_north
    request = submit_request(
        service_code="street_light",
        channel=Channel.WEB,
        actor=Actor.resident(),
        lat=lat,
        long=long,
    ).request
    close(request=request, status=Status.CLOSED_FIXED, actor=Actor(label="Transportation"))

    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)

    number = request.tracking_number
    assert seen == [(number, "request.opened"), (number, "request.closed")]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}

    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)
    assert len(seen) == 2
