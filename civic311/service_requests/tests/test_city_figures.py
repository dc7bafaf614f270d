"""The home page's two numbers: open requests, and closures in the last 30 days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from civic311.choices import Channel, Status
from civic311.lib import clock
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.selectors import city_figures
from civic311.testing import Places, Services

pytestmark = pytest.mark.django_db


def light_out(places: Places, *, is_test: bool = False) -> ServiceRequest:
    lat, long = places.ward2_near_north
    return actions.submit_request(
        service_code="street_light",
        channel=Channel.API,
        actor=actions.Actor.app("App"),
        lat=lat,
        long=long,
        is_test=is_test,
    ).request


def test_it_counts_open_requests_and_recent_closures_but_no_test_requests(
    services: Services, places: Places
) -> None:
    staff = actions.Actor(label="Transportation")
    light_out(places)
    recent = light_out(places)
    actions.close(request=recent, status=Status.CLOSED_FIXED, actor=staff)
    with clock.at(timezone.now() - timedelta(days=45)):
        old = light_out(places)
    with clock.at(timezone.now() - timedelta(days=40)):
        actions.close(request=old, status=Status.CLOSED_FIXED, actor=staff)
    sandbox = light_out(places, is_test=True)
    actions.close(request=sandbox, status=Status.CLOSED_FIXED, actor=staff)
    light_out(places, is_test=True)

    figures = city_figures()

    assert (figures.open_requests, figures.closed_last_30_days) == (1, 1)
