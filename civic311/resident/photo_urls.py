"""Included at `media/` (settings.MEDIA_URL), before the DEBUG static() route: its catch-all
keeps that route from serving private originals in development too."""

from __future__ import annotations

from django.urls import URLPattern, path

from civic311.resident import photos

app_name = "media"
urlpatterns: list[URLPattern] = [
    path("photos/<path:path>", photos.public_photo, name="photo"),
    path("<path:path>", photos.not_public, name="not_public"),
]
