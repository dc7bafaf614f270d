"""Fixtures for the console: residents' requests made through the real actions, and staff
logged in through the real login form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from civic311.choices import Channel
from civic311.lib import clock
from civic311.service_requests import actions
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import ServiceRequest
from civic311.testing import STAFF_PASSWORD, Places, Services

Report = Callable[..., ServiceRequest]
LogIn = Callable[[Any], Client]


@pytest.fixture
def report(services: Services, places: Places) -> Report:
    """report("sewer_cave_in", at=..., where=(lat, long)): a resident's request. Without
    `where`, each is ~67 m north of the one before, so they do not join as duplicates."""
    made = [0]

    def make(
        service_code: str = "sewer_cave_in",
        *,
        at: datetime | None = None,
        where: tuple[float, float] | None = None,
        **extra: Any,
    ) -> ServiceRequest:
        made[0] += 1
        lat, long = where or places.ward1_near_west
        if where is None:
            lat += made[0] * 0.0006
        kwargs: dict[str, Any] = {
            "service_code": service_code,
            "channel": Channel.WEB,
            "actor": Actor.resident(),
            "lat": lat,
            "long": long,
            "answers": {"location": "street"} if service_code == "pothole" else {},
            **extra,
        }
        if at is None:
            return actions.submit_request(**kwargs).request
        with clock.at(at):
            return actions.submit_request(**kwargs).request

    return make


@pytest.fixture
def log_in(db: None) -> LogIn:
    """A client logged in as `user` through the console's login form."""

    def make(user: Any) -> Client:
        client = Client()
        response = client.post(
            "/staff/login/", {"username": user.username, "password": STAFF_PASSWORD}
        )
        assert response.status_code == 302, response.content.decode()[:500]
        return client

    return make
