"""Photos kept across a re-rendered report form.

A resident who attached photos and then mistyped something must not have to choose them again
(a browser never refills a file input). Each accepted photo is written to the default storage
under kept/ and named in the form by a signed token that only this form holds; the next post
reads it back. What is never submitted is deleted by `manage.py sweep_kept_photos`.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "kept"
SALT = "civic311.resident.kept-photo"
KEEP_FOR = timedelta(hours=24)


def keep(data: bytes, filename: str) -> str:
    """Store the photo; return the token that reads it back."""
    name = default_storage.save(f"{FOLDER}/{secrets.token_urlsafe(18)}.upload", ContentFile(data))
    return signing.dumps({"path": name, "filename": filename[:80]}, salt=SALT, compress=True)


def _read_token(token: str) -> dict[str, Any] | None:
    try:
        value = signing.loads(token, salt=SALT, max_age=KEEP_FOR)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not str(value.get("path", "")).startswith(f"{FOLDER}/"):
        return None
    return value


def filename(token: str) -> str:
    value = _read_token(token)
    return str(value["filename"]) if value else ""


def load(token: str) -> tuple[bytes, str] | None:
    """(bytes, filename) of a kept photo; None when the token is forged, old or swept."""
    value = _read_token(token)
    if value is None or not default_storage.exists(value["path"]):
        return None
    with default_storage.open(value["path"], "rb") as kept:
        return kept.read(), str(value["filename"])


def drop(token: str) -> None:
    value = _read_token(token)
    if value is not None:
        default_storage.delete(value["path"])


def sweep(*, older_than: timedelta = KEEP_FOR) -> int:
    """Delete kept photos older than `older_than`; return how many."""
    if not default_storage.exists(FOLDER):
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in default_storage.listdir(FOLDER)[1]:
        path = f"{FOLDER}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed
