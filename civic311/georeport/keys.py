"""Issuing and checking API keys. Keys are random, so a fast hash (SHA-256) is enough to store
them safely; lookups are one indexed query."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from civic311.errors import NotPermitted, Problem
from civic311.georeport.models import ApiKey, KeyKind, KeyStatus

PREFIX = "c311_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    key: str  # shown once, never stored
    record: ApiKey


def issue_key(
    *,
    app_name: str,
    contact_email: str,
    kind: str = KeyKind.TEST,
    app_url: str = "",
    privacy_policy_url: str = "",
    approved: bool | None = None,
    can_post_updates: bool = False,
) -> IssuedKey:
    """A new key. Test keys are active at once; production keys wait for the city's approval
    unless `approved` says otherwise (an administrator issuing one from the command line)."""
    key = PREFIX + secrets.token_urlsafe(30)
    active = kind == KeyKind.TEST if approved is None else approved
    record = ApiKey.objects.create(
        app_name=app_name,
        contact_email=contact_email,
        app_url=app_url,
        privacy_policy_url=privacy_policy_url,
        kind=kind,
        status=KeyStatus.ACTIVE if active else KeyStatus.PENDING,
        prefix=key[: len(PREFIX) + 6],
        key_hash=hash_key(key),
        can_post_updates=can_post_updates,
        approved_at=timezone.now() if active and kind == KeyKind.PRODUCTION else None,
    )
    return IssuedKey(key=key, record=record)


def presented_key(request: HttpRequest, params: dict[str, str]) -> str:
    """The key from `Authorization: Bearer …` (preferred: URLs end up in logs) or the spec's
    `api_key` parameter."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return params.get("api_key", "").strip()


def authenticate(request: HttpRequest, params: dict[str, str]) -> ApiKey:
    key = presented_key(request, params)
    if not key:
        raise NotPermitted(
            [Problem("api_key.missing", "api_key", _("An api_key is required to submit."))]
        )
    record = ApiKey.objects.filter(key_hash=hash_key(key)).first()
    if record is None:
        raise NotPermitted([Problem("api_key.invalid", "api_key", _("Invalid api_key."))])
    if record.status == KeyStatus.PENDING:
        raise NotPermitted(
            [Problem("api_key.pending", "api_key", _("This api_key is waiting for approval."))]
        )
    if not record.is_usable:
        raise NotPermitted(
            [Problem("api_key.revoked", "api_key", _("This api_key has been revoked."))]
        )
    return record
