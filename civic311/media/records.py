"""Photo records, written as part of a submission (DESIGN.md: a submission is all or nothing).

Called by service_requests.actions inside the submission's transaction: the Photo rows and the
tasks that process them commit or roll back with the request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.db import transaction

from civic311.choices import PhotoStatus
from civic311.media.intake import CheckedPhoto
from civic311.media.models import Photo
from civic311.media.tasks import process_photo
from civic311.notifications.outbox import enqueue_in_transaction
from civic311.service_requests.models import ServiceRequest

EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "image/heic": ".heic",
}


def _enqueue(photo_id: int) -> None:
    enqueue_in_transaction(process_photo, photo_id)


def attach_photos(request: ServiceRequest, photos: Sequence[CheckedPhoto]) -> list[Photo]:
    """Store the originals, create their Photo rows (pending) and ask the worker to process them.

    Returns one Photo per photo given, in order. A photo the request already has (the same bytes,
    e.g. from a retried call) is not stored again: its existing row is returned."""
    if not photos:
        return []
    existing = {photo.sha256: photo for photo in Photo.objects.filter(request=request)}
    next_order = max((photo.order for photo in existing.values()), default=-1) + 1
    attached: list[Photo] = []
    new: list[Photo] = []
    for checked in photos:
        digest = hashlib.sha256(checked.data).hexdigest()
        if digest not in existing:
            photo = Photo(
                request=request,
                content_type=checked.content_type,
                width=checked.width,
                height=checked.height,
                bytes=len(checked.data),
                sha256=digest,
                order=next_order,
                status=PhotoStatus.PENDING,
            )
            # Written before the commit, so the worker finds it. If the transaction rolls
            # back, the file stays behind, private and unreferenced.
            photo.original.save(
                f"original{EXTENSIONS.get(checked.content_type, '')}",
                ContentFile(checked.data),
                save=False,
            )
            existing[digest] = photo
            new.append(photo)
            next_order += 1
        attached.append(existing[digest])
    with transaction.atomic():
        Photo.objects.bulk_create(new)
        for photo in new:
            _enqueue(photo.pk)
    return attached
