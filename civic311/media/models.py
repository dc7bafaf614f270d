"""Photos sent with a service request.

Two copies of every photo. The original, exactly as the resident sent it, is private: it still
carries the camera's EXIF (GPS position, serial numbers), so it is never served. The public image
and its thumbnail are written by the worker (media/tasks.py), re-encoded with no metadata at all.
The original is kept even when processing fails: nothing a resident submitted is lost.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic311.choices import PhotoStatus

PRIVATE_PREFIX = "private/"
PUBLIC_PREFIX = "photos/"


def _random_name(prefix: str, filename: str) -> str:
    # A random name: the resident's file name may say who they are, and a guessable one would
    # let anybody enumerate photos.
    suffix = PurePosixPath(filename).suffix.lower()[:5]
    return f"{prefix}{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def original_upload_to(instance: Photo, filename: str) -> str:
    return _random_name(f"{PRIVATE_PREFIX}originals/", filename)


def public_upload_to(instance: Photo, filename: str) -> str:
    return _random_name(PUBLIC_PREFIX, filename)


class Photo(models.Model):
    request = models.ForeignKey(
        "service_requests.ServiceRequest",
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("service request"),
    )
    original = models.FileField(
        _("original"),
        upload_to=original_upload_to,
        max_length=255,
        help_text=_("As sent, with its metadata. Private: never served."),
    )
    image = models.FileField(
        _("image"),
        upload_to=public_upload_to,
        max_length=255,
        blank=True,
        db_index=True,  # the public view looks files up by name
        help_text=_("Re-encoded without metadata; public once the status is ready."),
    )
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=public_upload_to, max_length=255, blank=True, db_index=True
    )
    # Until the worker has run, these describe the original; afterwards, the public image.
    content_type = models.CharField(_("content type"), max_length=32)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    bytes = models.PositiveIntegerField(_("size of the original in bytes"))
    # Makes attaching the same photo twice (a retried submission) a no-op.
    sha256 = models.CharField(_("SHA-256 of the original"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=PhotoStatus.choices, default=PhotoStatus.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "order"], name="photo_request_order"),
            models.UniqueConstraint(fields=["request", "sha256"], name="photo_request_sha256"),
        ]

    def __str__(self) -> str:
        return f"photo {self.order + 1} of request {self.request_id}"

    @property
    def is_ready(self) -> bool:
        return self.status == PhotoStatus.READY
