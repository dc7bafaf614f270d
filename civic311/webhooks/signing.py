"""The signature on every webhook call, as an app checks it (see docs/api.md).

`Civic311-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the
webhook's secret. The time is inside the signed text, so a receiver that refuses old times
(five minutes is the usual window) also refuses a recorded call played back later.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

HEADER = "Civic311-Signature"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def mac(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signature(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    moment = int(time.time()) if timestamp is None else timestamp
    return f"t={moment},v1={mac(secret, moment, body)}"


def verify(
    secret: str,
    body: bytes,
    header: str,
    *,
    tolerance: int = TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """What a receiver does: the time is recent and one of the v1 signatures matches."""
    fields = [part.partition("=") for part in header.split(",")]
    stamps = [value for key, _sep, value in fields if key.strip() == "t"]
    candidates = [value.strip() for key, _sep, value in fields if key.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit() or not candidates:
        return False
    timestamp = int(stamps[0])
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = mac(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
