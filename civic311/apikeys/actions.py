"""Issuing, approving and revoking API keys. Keys are random, so a fast hash (SHA-256) is
enough to store them safely; lookups are one indexed query."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from civic311.apikeys.models import ApiKey
from civic311.choices import KeyKind, KeyStatus

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


def approve_keys(keys: QuerySet[ApiKey]) -> int:
    """Approve the keys among these that wait for approval; returns how many."""
    return keys.filter(status=KeyStatus.PENDING).update(
        status=KeyStatus.ACTIVE, approved_at=timezone.now()
    )


def revoke_keys(keys: QuerySet[ApiKey]) -> int:
    """Revoke these keys at once: every later call with one is refused."""
    return keys.update(status=KeyStatus.REVOKED)
