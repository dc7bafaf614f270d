"""Every photo test writes to its own temporary media root."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from civic311.choices import Channel
from civic311.service_requests.actions import Actor, submit_request
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def light_out(services: Services, places: Places) -> ServiceRequest:
    """A resident's report of a street light that is out, sent without photos."""
    lat, long = places.ward2_near_north
    return submit_request(
        service_code="street_light",
        channel=Channel.WEB,
        actor=Actor.resident(),
        lat=lat,
        long=long,
    ).request
