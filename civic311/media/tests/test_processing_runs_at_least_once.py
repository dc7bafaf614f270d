"""Tasks run at least once: processing again changes nothing, and a photo that cannot be
processed is marked failed with its original kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from civic311.choices import PhotoStatus
from civic311.media import processing, tasks
from civic311.media.intake import CheckedPhoto, check_photo
from civic311.media.models import Photo
from civic311.media.records import attach_photos
from civic311.media.selectors import photo_urls
from civic311.media.tasks import process_photo
from civic311.service_requests.models import ServiceRequest
from civic311.testing import images

pytestmark = pytest.mark.django_db


def attached(request: ServiceRequest, data: bytes | None = None) -> Photo:
    (photo,) = attach_photos(request, [check_photo(data or images.phone_photo(), "photo.jpg")])
    return photo


def published_files(media_root: Path) -> set[str]:
    return {str(p.relative_to(media_root)) for p in (media_root / "photos").rglob("*.*")}


def test_processing_a_ready_photo_again_changes_nothing(
    light_out: ServiceRequest, media_root: Path
) -> None:
    photo = attached(light_out)
    process_photo.call(photo.pk)
    photo.refresh_from_db()
    files = published_files(media_root)
    assert files == {photo.image.name, photo.thumbnail.name}

    assert process_photo.call(photo.pk) == PhotoStatus.READY
    again = Photo.objects.get(pk=photo.pk)
    assert (again.image.name, again.thumbnail.name) == (photo.image.name, photo.thumbnail.name)
    assert published_files(media_root) == files


def test_when_two_runs_race_the_later_one_discards_its_files(
    light_out: ServiceRequest, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo = attached(light_out)
    real_process = processing.process
    raced = False

    def process_while_another_run_finishes(data: bytes, **kwargs: int) -> processing.Processed:
        nonlocal raced
        result = real_process(data, **kwargs)
        if not raced:
            raced = True
            process_photo.call(photo.pk)  # the other run, finishing first
        return result

    monkeypatch.setattr(tasks.processing, "process", process_while_another_run_finishes)
    assert process_photo.call(photo.pk) == PhotoStatus.READY

    photo.refresh_from_db()
    assert photo.status == PhotoStatus.READY
    assert published_files(media_root) == {photo.image.name, photo.thumbnail.name}


def test_a_photo_that_cannot_be_decoded_fails_and_its_original_is_kept(
    light_out: ServiceRequest,
) -> None:
    # Damage the check at upload cannot see without decoding: the worker finds it.
    broken = images.phone_photo()[:400] + b"\xff\xd9"
    (photo,) = attach_photos(
        light_out,
        [CheckedPhoto(data=broken, content_type="image/jpeg", width=300, height=200, filename="x")],
    )
    assert process_photo.call(photo.pk) == PhotoStatus.FAILED

    photo.refresh_from_db()
    assert photo.status == PhotoStatus.FAILED
    assert photo.error
    assert not photo.image and not photo.thumbnail
    with photo.original.open("rb") as original:
        assert original.read() == broken
    assert photo_urls(light_out) == []


def test_the_worker_refuses_too_many_pixels_on_its_own(light_out: ServiceRequest) -> None:
    # The limit is checked again: the photo may have been accepted under an older setting.
    bomb = images.png_header_claiming(50_000, 50_000)
    (photo,) = attach_photos(
        light_out,
        [
            CheckedPhoto(
                data=bomb, content_type="image/png", width=50_000, height=50_000, filename="b"
            )
        ],
    )
    assert process_photo.call(photo.pk) == PhotoStatus.FAILED
    photo.refresh_from_db()
    assert "pixels" in photo.error


def test_a_missing_original_fails_with_the_reason(light_out: ServiceRequest) -> None:
    photo = attached(light_out)
    photo.original.storage.delete(photo.original.name)
    assert process_photo.call(photo.pk) == PhotoStatus.FAILED
    photo.refresh_from_db()
    assert "missing" in photo.error


def test_a_failed_photo_is_processed_again_when_asked(light_out: ServiceRequest) -> None:
    photo = attached(light_out)
    Photo.objects.filter(pk=photo.pk).update(status=PhotoStatus.FAILED, error="a bad day")
    assert process_photo.call(photo.pk) == PhotoStatus.READY
    photo.refresh_from_db()
    assert (photo.status, photo.error) == (PhotoStatus.READY, "")


def test_a_deleted_photo_is_nothing_to_do(light_out: ServiceRequest) -> None:
    photo = attached(light_out)
    Photo.objects.filter(pk=photo.pk).delete()
    assert process_photo.call(photo.pk) == "missing"
