"""Reads of photos for public output (the API's media_url / media_urls, the tracking page)."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db.models import FileField, Q
from django.db.models.fields.files import FieldFile

from civic311.choices import PhotoStatus
from civic311.media.models import Photo
from civic311.service_requests.models import ServiceRequest


def _absolute(url: str) -> str:
    # Storages such as S3 give an absolute URL already; the file system gives a path.
    if "://" in url:
        return url
    return f"{settings.SITE_URL}/{url.lstrip('/')}"


def public_url(file: FieldFile) -> str:
    return _absolute(file.url)


def photo_urls(request: ServiceRequest, *, thumbnails: bool = False) -> list[str]:
    """Absolute URLs of the request's processed photos, in order; pending and failed ones are
    left out. Uses `prefetch_related("photos")` when the caller did it (no query per request in
    a list)."""
    ready = sorted(
        (photo for photo in request.photos.all() if photo.status == PhotoStatus.READY),
        key=lambda photo: (photo.order, photo.pk),
    )
    return [
        public_url(photo.thumbnail if thumbnails else photo.image)
        for photo in ready
        if (photo.thumbnail if thumbnails else photo.image)
    ]


def public_urls(
    request_ids: Sequence[int], *, first_only: bool = False, thumbnails: bool = False
) -> dict[int, list[str]]:
    """photo_urls for a page of requests, by request id, in one query. Every id is a key."""
    found: dict[int, list[str]] = {request_id: [] for request_id in request_ids}
    if not found:
        return found
    field = "thumbnail" if thumbnails else "image"
    file_field = Photo._meta.get_field(field)
    assert isinstance(file_field, FileField)
    storage = file_field.storage
    rows = (
        Photo.objects.filter(request_id__in=found, status=PhotoStatus.READY)
        .exclude(**{field: ""})
        .order_by("request_id", "order", "id")
        .values_list("request_id", field)
    )
    for request_id, name in rows:
        urls = found[request_id]
        if not (first_only and urls):
            urls.append(_absolute(storage.url(name)))
    return found


def is_published(name: str) -> bool:
    """Whether a stored file is the re-encoded image or thumbnail of a ready photo. The
    database decides, not the file system: a photo staff withdrew or deleted, or a spare file
    from a task that ran twice, is not published."""
    return (
        Photo.objects.filter(status=PhotoStatus.READY)
        .filter(Q(image=name) | Q(thumbnail=name))
        .exists()
    )
