"""Fixtures for the public pages: a resident's requests, made through the real actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from civic311.choices import Channel
from civic311.lib import clock
from civic311.service_requests import actions
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services

STREETS = Actor(label="Transportation")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    # Rate-limit counters live in the cache and every test posts from 127.0.0.1: without this,
    # a test's reports would count against the next test's within the same minute.
    from django.core.cache import cache

    cache.clear()


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


# --- Reporting --------------------------------------------------------------------------------

MADISON_1200 = (41.88196, -87.656985)  # ward 1, Near West Side (28)
MADISON_1300 = (41.88193, -87.659445)


@pytest.fixture
def addresses(db: None) -> None:
    """Address points the test city's geocoder knows."""
    from civic311.geo.geocoders import import_address_points

    import_address_points(
        [
            ("1200 W Madison St", *MADISON_1200, "60607"),
            ("1300 W Madison St", *MADISON_1300, "60607"),
        ]
    )


@pytest.fixture
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def spanish_catalog(services: Services) -> None:
    """The pothole service, its questions and answers, in Spanish too."""
    from civic311.catalog.models import AttributeValue, ServiceAttribute

    pothole = services.pothole
    pothole.translations = {
        "es": {"service_name": "Bache en la calle", "description": "Un hoyo en la calle."}
    }
    pothole.save()
    ServiceAttribute.objects.filter(service=pothole, code="location").update(
        translations={"es": {"description": "¿Dónde está el bache?"}}
    )
    ServiceAttribute.objects.filter(service=pothole, code="depth_cm").update(
        translations={"es": {"description": "¿Qué tan hondo es (cm)?"}}
    )
    for key, name in (("street", "En la calle"), ("crosswalk", "En un paso de peatones")):
        value = AttributeValue.objects.get(attribute__service=pothole, key=key)
        value.translations = {"es": {"name": name}}
        value.save()
