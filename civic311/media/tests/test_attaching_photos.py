"""Photos are recorded with the submission: originals stored privately, pending rows, and the
processing task enqueued in the same transaction."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from civic311.choices import PhotoStatus
from civic311.media.intake import check_photo
from civic311.media.models import Photo
from civic311.media.records import attach_photos
from civic311.service_requests.models import ServiceRequest
from civic311.testing import images

pytestmark = pytest.mark.django_db

PRIVATE_NAME = re.compile(r"private/originals/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png)")


def processing_tasks() -> list[Any]:
    rows = DBTaskResult.objects.filter(task_path="civic311.media.tasks.process_photo")
    return [row.args_kwargs["args"] for row in rows.order_by("enqueued_at")]


def test_originals_are_stored_privately_under_random_names(light_out: ServiceRequest) -> None:
    jpeg, png = images.phone_photo(), images.png_with_alpha()
    photos = attach_photos(
        light_out, [check_photo(jpeg, "maria-garcia.jpg"), check_photo(png, "sign.png")]
    )
    assert [p.order for p in photos] == [0, 1]
    assert [p.status for p in photos] == [PhotoStatus.PENDING, PhotoStatus.PENDING]
    assert [p.content_type for p in photos] == ["image/jpeg", "image/png"]
    assert [(p.width, p.height) for p in photos] == [(300, 200), (64, 48)]
    for photo, data in zip(photos, (jpeg, png), strict=True):
        assert PRIVATE_NAME.fullmatch(photo.original.name)
        assert "maria" not in photo.original.name
        assert photo.bytes == len(data)
        with photo.original.open("rb") as stored:
            assert stored.read() == data
    assert list(light_out.photos.all()) == photos


def test_each_photo_is_queued_for_processing_in_the_same_transaction(
    light_out: ServiceRequest,
) -> None:
    photos = attach_photos(light_out, [check_photo(images.phone_photo(), "1.jpg")])
    assert processing_tasks() == [[photos[0].pk]]


def test_a_rolled_back_submission_leaves_no_photo_and_no_task(
    light_out: ServiceRequest,
) -> None:
    def submission_failing_later_on() -> None:
        with transaction.atomic():
            attach_photos(light_out, [check_photo(images.phone_photo(), "1.jpg")])
            raise RuntimeError("a later step of the submission failed")

    with pytest.raises(RuntimeError):
        submission_failing_later_on()
    assert not Photo.objects.exists()
    assert processing_tasks() == []


def test_attaching_the_same_photos_again_adds_nothing(light_out: ServiceRequest) -> None:
    checked = [check_photo(images.phone_photo(), "1.jpg"), check_photo(images.jpeg(), "2.jpg")]
    first = attach_photos(light_out, checked)
    again = attach_photos(light_out, checked)
    assert [p.pk for p in again] == [p.pk for p in first]
    assert Photo.objects.count() == 2
    assert len(processing_tasks()) == 2


def test_a_later_photo_is_added_after_the_earlier_ones(light_out: ServiceRequest) -> None:
    attach_photos(light_out, [check_photo(images.phone_photo(), "1.jpg")])
    (later,) = attach_photos(light_out, [check_photo(images.jpeg(), "2.jpg")])
    assert later.order == 1


def test_with_a_broker_the_task_is_sent_only_after_the_commit(
    light_out: ServiceRequest,
    settings: Settings,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[list[Any]]],
) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "notifications"],
        }
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (photo,) = attach_photos(light_out, [check_photo(images.phone_photo(), "1.jpg")])
    photo.refresh_from_db()
    assert photo.status == PhotoStatus.PENDING  # nothing ran before the commit

    for callback in callbacks:
        callback()
    photo.refresh_from_db()
    assert photo.status == PhotoStatus.READY
