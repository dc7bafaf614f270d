"""Photos in the admin are read-only: they are written by the submission and the worker.

The original is shown by name only, never linked: it still carries the camera's metadata and is
not served at any URL.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from civic311.media.models import Photo
from civic311.service_requests.models import ServiceRequest


def _preview(photo: Photo) -> SafeString | str:
    if not photo.thumbnail:
        return "—"
    return format_html('<img src="{}" alt="" style="max-height:100px">', photo.thumbnail.url)


class PhotoInline(admin.TabularInline[Photo, ServiceRequest]):
    """For ServiceRequestAdmin.inlines."""

    model = Photo
    extra = 0
    can_delete = False
    fields = readonly_fields = ("preview", "order", "status", "content_type", "width", "height")

    @admin.display(description=_("preview"))
    def preview(self, photo: Photo) -> SafeString | str:
        return _preview(photo)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin[Photo]):
    list_display = ["__str__", "preview", "status", "content_type", "width", "height", "created_at"]
    list_filter = ["status"]
    list_select_related = ["request"]
    search_fields = ["request__tracking_number"]
    raw_id_fields = ["request"]
    fields = readonly_fields = (
        "preview",
        "request",
        "order",
        "status",
        "error",
        "content_type",
        "width",
        "height",
        "bytes",
        "original_name",
        "image",
        "thumbnail",
        "sha256",
        "created_at",
    )

    @admin.display(description=_("preview"))
    def preview(self, photo: Photo) -> SafeString | str:
        return _preview(photo)

    @admin.display(description=_("original"))
    def original_name(self, photo: Photo) -> str:
        return photo.original.name or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Withdrawing a photo (a face, a licence plate) is rare and deliberate. The files stay
        # in storage; the public view stops serving them once the row is gone.
        return bool(request.user.is_superuser)
