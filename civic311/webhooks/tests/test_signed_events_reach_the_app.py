"""An app registers a webhook, submits a request with its key, and its server receives signed
events as the request is worked: opened, then closed, with the public request in the body."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from civic311.apikeys.actions import IssuedKey
from civic311.choices import Status
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services
from civic311.webhooks.tests.support import Receiver, register, run_worker, submit

pytestmark = pytest.mark.django_db(transaction=True)
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def test_the_app_receives_signed_opened_and_closed_events_in_order(
    client: Client, services: Services, places: Places, app_key: IssuedKey, receiver: Receiver
) -> None:
    register(client, app_key, receiver, "/hook", scope="own")
    number = submit(
        client,
        app_key,
        places.ward2_near_north,
        description="Dark for a week",
        first_name="Ana",
        last_name="Reporter",
        email="ana@example.org",
        phone="312-555-0100",
        device_id="device-77",
    )
    request = ServiceRequest.objects.get(tracking_number=number)
    actions.close(
        request=request,
        status=Status.CLOSED_FIXED,
        actor=actions.Actor(label="Transportation"),
        note="Bulb replaced.",
    )

    run_worker()

    calls = receiver.on("/hook")
    assert [c.headers["Civic311-Event"] for c in calls] == ["request.opened", "request.closed"]
    assert all(c.signed for c in calls)
    opened, closed = (c.json for c in calls)
    for call, event in zip(calls, (opened, closed), strict=True):
        assert call.headers["Content-Type"] == "application/json"
        assert call.headers["User-Agent"] == "Civic311-Webhooks/1"
        assert call.headers["Civic311-Delivery"] == event["id"]
        assert list(event) == ["id", "type", "created", "service_request", "entry"]
        assert W3C.match(event["created"]) and W3C.match(event["entry"]["datetime"])
        assert event["service_request"]["service_request_id"] == number
    assert opened["type"] == opened["entry"]["type"] == "request.opened"
    assert closed["type"] == "request.closed"
    assert closed["entry"]["note"] == "Bulb replaced."
    shown = closed["service_request"]
    assert shown["status"] == "closed"
    assert shown["description"] == "Dark for a week"
    assert shown["extended_attributes"]["ward"] == "2"
    assert [n["type"] for n in shown["notes"]] == ["opened", "closed"]
    raw = b"".join(c.body for c in calls)
    for personal in (b"Ana", b"Reporter", b"ana@example.org", b"312-555-0100", b"device-77"):
        assert personal not in raw


def test_nothing_is_sent_twice_when_the_worker_runs_again(
    client: Client, services: Services, places: Places, app_key: IssuedKey, receiver: Receiver
) -> None:
    register(client, app_key, receiver, "/hook", scope="own")
    submit(client, app_key, places.ward2_near_north)
    run_worker()
    run_worker()

    assert len(receiver.on("/hook")) == 1


def test_a_webhook_hears_only_the_event_types_it_asked_for(
    client: Client, services: Services, places: Places, app_key: IssuedKey, receiver: Receiver
) -> None:
    register(client, app_key, receiver, "/closures", scope="own", events="request.closed")
    number = submit(client, app_key, places.ward2_near_north)
    actions.close(
        request=ServiceRequest.objects.get(tracking_number=number),
        status=Status.CLOSED_FIXED,
        actor=actions.Actor(label="Transportation"),
    )
    run_worker()

    assert [c.json["type"] for c in receiver.on("/closures")] == ["request.closed"]
