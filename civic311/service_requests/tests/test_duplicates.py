"""Looking for open requests of the same service nearby, by the service's policy."""

from __future__ import annotations

import pytest

from civic311.choices import Channel, Status, TimelineType
from civic311.service_requests.actions import Actor, close, submit_request
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services

pytestmark = pytest.mark.django_db

# About 11 m and 111 m north of a point, in degrees of latitude.
NEAR, FAR = 0.0001, 0.001


def report(service_code: str, lat: float, long: float, answers: dict[str, object]):  # type: ignore[no-untyped-def]
    return submit_request(
        service_code=service_code,
        channel=Channel.WEB,
        actor=Actor.resident(),
        lat=lat,
        long=long,
        answers=answers,  # type: ignore[arg-type]
    )


def test_a_second_pothole_at_the_same_spot_is_linked_to_the_first(
    services: Services, places: Places
) -> None:
    lat, long = places.ward1_near_west
    first = report("pothole", lat, long, {"location": "street"}).request

    second = report("pothole", lat + NEAR, long, {"location": "street"})

    assert second.duplicate_of == first
    duplicate = second.request
    assert duplicate.parent == first
    assert duplicate.status == Status.CLOSED_DUPLICATE
    assert [e.type for e in duplicate.timeline.all()] == [
        TimelineType.OPENED,
        TimelineType.MERGED,
    ]
    assert [e.type for e in first.timeline.all()] == [
        TimelineType.OPENED,
        TimelineType.DUPLICATE_ATTACHED,
    ]


def test_a_pothole_further_than_the_radius_is_a_new_request(
    services: Services, places: Places
) -> None:
    lat, long = places.ward1_near_west
    report("pothole", lat, long, {"location": "street"})

    second = report("pothole", lat + FAR, long, {"location": "street"})

    assert second.duplicate_of is None
    assert second.request.status == Status.OPEN


def test_a_closed_request_at_the_same_spot_is_not_a_duplicate(
    services: Services, places: Places
) -> None:
    lat, long = places.ward1_near_west
    first = report("pothole", lat, long, {"location": "street"}).request
    close(request=first, status=Status.CLOSED_FIXED, actor=Actor.system())

    second = report("pothole", lat, long, {"location": "street"})

    assert second.duplicate_of is None


def test_another_service_at_the_same_spot_is_not_a_duplicate(
    services: Services, places: Places
) -> None:
    lat, long = places.ward1_near_west
    report("graffiti", lat, long, {"surface": "brick"})

    second = report("pothole", lat, long, {"location": "street"})

    assert second.duplicate_of is None
    assert second.nearby == []


def test_graffiti_nearby_is_suggested_but_a_new_request_is_made(
    services: Services, places: Places
) -> None:
    lat, long = places.ward1_near_west
    first = report("graffiti", lat, long, {"surface": "brick"}).request

    second = report("graffiti", lat + NEAR, long, {"surface": "metal"})

    assert second.duplicate_of is None
    assert second.request.status == Status.OPEN
    assert [n.request for n in second.nearby] == [first]
    assert 5 < second.nearby[0].distance_m < 20
    opened = second.request.timeline.get()
    assert opened.data["possible_duplicates"] == [first.tracking_number]


def test_a_service_without_a_policy_never_looks(services: Services, places: Places) -> None:
    lat, long = places.ward1_near_west
    report("street_light", lat, long, {})

    second = report("street_light", lat, long, {})

    assert second.duplicate_of is None and second.nearby == []
    assert ServiceRequest.objects.filter(status=Status.OPEN).count() == 2
