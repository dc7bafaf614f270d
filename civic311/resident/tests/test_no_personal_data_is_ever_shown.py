"""Who reported a request never appears on its public page, the lookup, or the feeds."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.choices import Status
from civic311.resident.tests.conftest import STREETS, Report
from civic311.service_requests import actions

pytestmark = pytest.mark.django_db

CONTACT = actions.Contact(
    first_name="Zbigniewa",
    last_name="Quackenbush",
    email="zbigniewa.q@example.org",
    phone="+1 (312) 555-0199",
    device_id="device-7f3a9c",
    account_id="acct-5521",
)
SECRETS = (
    "Zbigniewa",
    "Quackenbush",
    "zbigniewa",
    "example.org",
    "555-0199",
    "3125550199",
    "device-7f3a9c",
    "acct-5521",
)


def test_the_reporters_contact_is_nowhere_in_the_pages_or_feeds(
    client: Client, report: Report
) -> None:
    sr = report("pothole", contact=CONTACT)
    actions.change_status(request=sr, status=Status.IN_PROGRESS, actor=STREETS, note="On it.")
    actions.close(request=sr, status=Status.CLOSED_FIXED, actor=STREETS, note="Filled.")
    number = sr.tracking_number

    lookup = client.get("/track/", {"number": number.replace("-", " ")}, follow=True)
    responses = {
        "lookup": lookup,
        "page": client.get(f"/track/{number}"),
        "request feed": client.get(f"/track/{number}/feed.atom"),
        "ward feed": client.get(f"/wards/{sr.ward}/feed.atom"),
        "home": client.get("/"),
    }

    for name, response in responses.items():
        assert response.status_code == 200, name
        text = response.content.decode()
        assert number in text, name
        for secret in SECRETS:
            assert secret.lower() not in text.lower(), (name, secret)


def test_an_address_given_to_follow_is_not_echoed_back(client: Client, report: Report) -> None:
    sr = report()

    response = client.post(
        f"/track/{sr.tracking_number}/follow", {"email": "neighbour@example.net"}, follow=True
    )

    html = response.content.decode()
    assert "Check your inbox" in html
    assert "neighbour" not in html and "example.net" not in html
