"""The worker's half of photo intake: the public image and thumbnail, without metadata.

Tasks run at least once, so this one is idempotent: a ready photo is left alone, and when two
runs race, the one that finishes second throws its files away. A photo that cannot be decoded is
marked failed with the reason; its original is kept for staff to look at.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django_tasks import task

from civic311.choices import PhotoStatus
from civic311.media import processing
from civic311.media.models import Photo

log = logging.getLogger(__name__)

MAX_ERROR = 2000


def _fail(photo: Photo, error: str) -> str:
    Photo.objects.filter(pk=photo.pk).exclude(status=PhotoStatus.READY).update(
        status=PhotoStatus.FAILED, error=error[:MAX_ERROR]
    )
    return PhotoStatus.FAILED


@task(queue_name="default")
def process_photo(photo_id: int) -> str:
    """Re-encode one photo; returns its status afterwards."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        log.info("photo %s no longer exists; nothing to process", photo_id)
        return "missing"
    if photo.status == PhotoStatus.READY:
        return PhotoStatus.READY
    try:
        with photo.original.open("rb") as original:
            data = original.read()
    except FileNotFoundError:
        log.error("photo %s: original %s is missing from storage", photo_id, photo.original.name)
        return _fail(photo, "The original file is missing from storage.")
    try:
        processed = processing.process(data, max_pixels=settings.PHOTO_MAX_PIXELS)
    except Exception as exc:
        # Whatever the decoder raises on a resident's bytes, the answer is the same: keep the
        # original, record why, and let staff see it. Retrying would fail the same way.
        log.warning("photo %s could not be processed", photo_id, exc_info=True)
        return _fail(photo, f"{type(exc).__name__}: {exc}")
    photo.image.save(f"image{processed.extension}", ContentFile(processed.image.data), save=False)
    photo.thumbnail.save(
        f"thumbnail{processed.extension}", ContentFile(processed.thumbnail.data), save=False
    )
    updated = (
        Photo.objects.filter(pk=photo.pk)
        .exclude(status=PhotoStatus.READY)
        .update(
            image=photo.image.name,
            thumbnail=photo.thumbnail.name,
            content_type=processed.content_type,
            width=processed.image.width,
            height=processed.image.height,
            status=PhotoStatus.READY,
            error="",
        )
    )
    if not updated:
        # Another run got there first (or the photo was deleted meanwhile): ours are spare.
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
    return PhotoStatus.READY
