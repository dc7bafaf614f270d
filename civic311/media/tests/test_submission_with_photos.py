"""A resident's submission with photos, through actions.submit_request and the real worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from civic311.choices import Channel, PhotoStatus
from civic311.lib.errors import InvalidInput
from civic311.media.models import Photo
from civic311.media.selectors import photo_urls
from civic311.service_requests.actions import Actor, submit_request
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services, images

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_publishes_the_photos_of_a_submission(
    services: Services, places: Places
) -> None:
    lat, long = places.ward2_near_north
    request = submit_request(
        service_code="street_light",
        channel=Channel.WEB,
        actor=Actor.resident(),
        lat=lat,
        long=long,
        photos=[(images.phone_photo(), "IMG_0001.JPG"), (images.png_with_alpha(), "sign.png")],
    ).request
    assert list(request.photos.values_list("status", flat=True)) == ["pending", "pending"]
    assert photo_urls(request) == []

    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)

    processing = DBTaskResult.objects.filter(task_path="civic311.media.tasks.process_photo")
    assert list(processing.values_list("status", "return_value")) == [("SUCCESSFUL", "ready")] * 2
    photos = list(request.photos.all())
    assert [p.status for p in photos] == [PhotoStatus.READY, PhotoStatus.READY]
    assert [p.content_type for p in photos] == ["image/jpeg", "image/png"]
    assert len(photo_urls(request)) == 2


def test_a_refused_photo_stores_nothing_at_all(
    services: Services, places: Places, media_root: Path
) -> None:
    lat, long = places.ward2_near_north
    with pytest.raises(InvalidInput) as raised:
        submit_request(
            service_code="street_light",
            channel=Channel.WEB,
            actor=Actor.resident(),
            lat=lat,
            long=long,
            photos=[(images.phone_photo(), "ok.jpg"), (images.SVG, "evil.svg")],
        )
    assert [p.code for p in raised.value.problems] == ["media.not_an_image"]
    assert not ServiceRequest.objects.exists()
    assert not Photo.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))
