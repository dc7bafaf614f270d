"""Requests made through the real actions, for the desk and ward tests (import `report`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from civic311 import clock
from civic311.choices import Channel
from civic311.service_requests import actions
from civic311.service_requests.actions import Actor, Contact
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services

Report = Callable[..., ServiceRequest]


@pytest.fixture
def report(services: Services, places: Places) -> Report:
    """A resident reports a problem: report("pothole", where=..., phone=..., at=...)."""

    def make(
        service_code: str = "sewer_cave_in",
        *,
        where: tuple[float, float] | None = None,
        phone: str = "",
        email: str = "",
        at: datetime | None = None,
        **extra: Any,
    ) -> ServiceRequest:
        lat, long = where or places.ward1_near_west
        answers = {"location": "street"} if service_code == "pothole" else {}
        if service_code == "graffiti":
            answers = {"surface": ["brick"]}
        kwargs: dict[str, Any] = {
            "service_code": service_code,
            "channel": Channel.WEB,
            "actor": Actor.resident(),
            "lat": lat,
            "long": long,
            "answers": answers,
            "contact": Contact(first_name="Rosa", phone=phone, email=email)
            if phone or email
            else None,
            **extra,
        }
        if at is None:
            return actions.submit_request(**kwargs).request
        with clock.at(at):
            return actions.submit_request(**kwargs).request

    return make
