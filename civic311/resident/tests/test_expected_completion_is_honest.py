"""The expected completion: the city's target, and how long the same service actually took
recently nearby (the middle half of recent closures), saying what it is based on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from civic311.choices import Status
from civic311.lib import clock
from civic311.resident.tests.conftest import WATER, Report
from civic311.service_requests import actions, selectors
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places

pytestmark = pytest.mark.django_db

DASH, APOSTROPHE = "\u2013", "\u2019"  # the page's typography (en dash, apostrophe)

Closed = Callable[..., ServiceRequest]


@pytest.fixture
def closed_after(report: Report, places: Places) -> Closed:
    """A sewer request that took `days` days and was closed `ago` days ago."""

    def make(
        days: float,
        *,
        ago: float = 5,
        where: tuple[float, float] | None = None,
        status: str = Status.CLOSED_FIXED,
        is_test: bool = False,
    ) -> ServiceRequest:
        closed_at = timezone.now() - timedelta(days=ago)
        sr = report(at=closed_at - timedelta(days=days), where=where, is_test=is_test)
        with clock.at(closed_at):
            return actions.close(request=sr, status=status, actor=WATER, note="Done.")

    return make


TEN_DURATIONS = [2, 3, 3, 4, 4, 5, 5, 6, 7, 8]  # 25th percentile 3.25, 75th 5.75


def test_with_enough_closed_nearby_it_gives_the_middle_half_in_the_area(
    report: Report, closed_after: Closed
) -> None:
    for days in TEN_DURATIONS:
        closed_after(days)
    sr = report()

    estimate = selectors.completion_estimate(sr)

    assert (estimate.low_days, estimate.high_days) == (3, 6)
    assert (estimate.sample_size, estimate.area_name) == (10, "Near West Side")
    assert estimate.sla_due == sr.expected_at


def test_with_too_few_in_the_area_it_falls_back_to_the_whole_city(
    report: Report, closed_after: Closed, places: Places
) -> None:
    for days in TEN_DURATIONS[:4]:
        closed_after(days)
    for days in TEN_DURATIONS[4:]:
        closed_after(days, where=places.ward2_near_north)
    sr = report()

    estimate = selectors.completion_estimate(sr)

    assert estimate.is_citywide and estimate.sample_size == 10
    assert (estimate.low_days, estimate.high_days) == (3, 6)


def test_with_too_few_anywhere_it_says_nothing_but_the_target(
    report: Report, closed_after: Closed
) -> None:
    for days in TEN_DURATIONS[:9]:
        closed_after(days)
    sr = report()

    estimate = selectors.completion_estimate(sr)

    assert not estimate.has_typical and estimate.sample_size == 0
    assert estimate.sla_due == sr.expected_at


def test_only_recent_real_fixes_count(report: Report, closed_after: Closed) -> None:
    for days in TEN_DURATIONS[:9]:
        closed_after(days)
    closed_after(1, ago=120)  # closed too long ago
    closed_after(1, status=Status.CLOSED_NOT_FIXED)
    closed_after(1, is_test=True)
    sr = report()

    assert not selectors.completion_estimate(sr).has_typical


def test_the_page_says_what_the_estimate_is_based_on(
    client: Client, report: Report, closed_after: Closed
) -> None:
    for days in TEN_DURATIONS:
        closed_after(days)
    sr = report()
    due = timezone.localtime(sr.expected_at, timezone=_chicago())

    html = client.get(f"/track/{sr.tracking_number}").content.decode()

    assert f"<strong>Usually done in 3{DASH}6 days</strong>" in html
    assert "(based on 10 similar requests in Near West Side closed recently)." in html
    assert (
        f'The city{APOSTROPHE}s target: <time datetime="{due.isoformat()}">by {due:%-d %b}</time>.'
        in html
    )


def test_the_page_is_honest_when_there_is_too_little_to_go_on(
    client: Client, report: Report
) -> None:
    sr = report()

    html = client.get(f"/track/{sr.tracking_number}").content.decode()

    assert (
        "Too few similar requests were closed recently to say how long this usually takes." in html
    )
    assert f"The city{APOSTROPHE}s target:" in html


def test_a_closed_request_shows_when_it_closed_instead_of_an_estimate(
    client: Client, report: Report
) -> None:
    sr = report()
    actions.close(request=sr, status=Status.CLOSED_FIXED, actor=WATER)

    html = client.get(f"/track/{sr.tracking_number}").content.decode()

    assert "Usually done" not in html and f"The city{APOSTROPHE}s target" not in html
    assert '<p class="when">Closed <time' in html


def _chicago():  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return ZoneInfo("America/Chicago")
