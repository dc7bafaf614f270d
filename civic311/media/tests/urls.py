"""The media URLs mounted as civic311/urls.py mounts them, followed by what Django's DEBUG
static() route does (serve anything under MEDIA_ROOT), to show it is never reached."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path
from django.views.static import serve


def debug_static(request: HttpRequest, path: str) -> HttpResponse:
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns: list[URLPattern | URLResolver] = [
    path("media/", include("civic311.resident.photo_urls")),
    path("media/<path:path>", debug_static),
]
