"""Public photos. Only the re-encoded image and thumbnail of a ready photo are ever served; an
original (which still has its EXIF, GPS included) is not, whatever the URL."""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from civic311.media.models import PUBLIC_PREFIX
from civic311.media.selectors import is_published

# Exactly the names the worker writes (models.public_upload_to), so no other file under the
# media root can be reached through this view.
_PUBLIC_NAME = re.compile(rf"{PUBLIC_PREFIX}\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.(jpg|png)")
_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}
# A published file never changes (a new rendition gets a new random name).
_CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_safe
def public_photo(request: HttpRequest, path: str) -> FileResponse:
    name = f"{PUBLIC_PREFIX}{path}"
    match = _PUBLIC_NAME.fullmatch(name)
    if match is None:
        raise Http404
    if not is_published(name):
        raise Http404
    try:
        file = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type=_CONTENT_TYPES[match.group(1)])
    response["Cache-Control"] = _CACHE_CONTROL
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def not_public(request: HttpRequest, path: str) -> HttpResponse:
    """Everything else under the media URL: originals in private/ above all."""
    raise Http404
