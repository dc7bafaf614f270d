"""Tracking numbers: unique under concurrency, and found however a person types them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import close_old_connections, connection

from civic311.choices import Channel
from civic311.service_requests import tracking
from civic311.service_requests.actions import Actor, submit_request
from civic311.service_requests.selectors import find_by_typed_number
from civic311.testing import Places, Services

NOON_2026 = datetime(2026, 6, 1, 17, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_never_share_a_tracking_number(
    services: Services, places: Places
) -> None:
    lat, long = places.ward2_near_north
    threads_count, per_thread = 6, 5
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(threads_count)

    def work() -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                result = submit_request(
                    service_code="street_light",
                    channel=Channel.API,
                    actor=Actor.app("load"),
                    lat=lat,
                    long=long,
                )
                numbers.append(result.request.tracking_number)
        except BaseException as exc:  # reported below; a thread must not die silently
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(numbers) == threads_count * per_thread
    assert len(set(numbers)) == len(numbers)
    serials = sorted(int(n.split("-")[1]) for n in numbers)
    assert serials == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("26-00012345", ["26-00012345"]),
        ("26 12345", ["26-00012345"]),
        ("2600012345", ["26-00012345"]),
        ("#26-12345", ["26-00012345"]),
        ("2026-12345", ["26-00012345"]),
        ("12345", ["26-00012345", "25-00012345"]),
        ("  26.00012345 ", ["26-00012345"]),
        ("pothole", []),
        ("0", []),
        ("1-2-3", []),
    ],
)
def test_it_reads_a_tracking_number_however_it_is_typed(typed: str, expected: list[str]) -> None:
    assert tracking.candidates(typed, today=NOON_2026) == expected


@pytest.mark.django_db
def test_a_sloppily_typed_number_finds_the_request(services: Services, places: Places) -> None:
    lat, long = places.ward2_near_north
    request = submit_request(
        service_code="street_light",
        channel=Channel.WEB,
        actor=Actor.resident(),
        lat=lat,
        long=long,
    ).request
    serial = int(request.tracking_number.split("-")[1])

    assert find_by_typed_number(f" {serial} ") == request
    assert find_by_typed_number(request.tracking_number.replace("-", "")) == request
    assert find_by_typed_number("99-99999999") is None
