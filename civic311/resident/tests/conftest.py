"""Fixtures for the public pages: a resident's requests, made through the real actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from civic311 import clock
from civic311.choices import Channel
from civic311.service_requests import actions
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services

STREETS = Actor(label="Transportation")
WATER = Actor(label="Water Management")

Report = Callable[..., ServiceRequest]


@pytest.fixture
def report(services: Services, places: Places) -> Report:
    """A resident reports a problem: report("sewer_cave_in", at=..., where=(lat, long))."""

    def make(
        service_code: str = "sewer_cave_in",
        *,
        at: datetime | None = None,
        where: tuple[float, float] | None = None,
        contact: actions.Contact | None = None,
        is_test: bool = False,
        **extra: Any,
    ) -> ServiceRequest:
        lat, long = where or places.ward1_near_west
        answers = {"location": "street"} if service_code == "pothole" else {}
        kwargs: dict[str, Any] = {
            "service_code": service_code,
            "channel": Channel.WEB,
            "actor": Actor.resident(),
            "lat": lat,
            "long": long,
            "answers": answers,
            "contact": contact,
            "is_test": is_test,
            **extra,
        }
        if at is None:
            return actions.submit_request(**kwargs).request
        with clock.at(at):
            return actions.submit_request(**kwargs).request

    return make
