"""Fixed-window rate limits in the cache (per API key, per client address), and the client's
address behind trusted proxies. With the default local-memory cache each process counts for
itself; with REDIS_URL the limits hold across every process."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 60


def client_address(request: HttpRequest) -> str:
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def hit(scope: str, identity: str, limit: int) -> int | None:
    """Count one hit; None if within the limit, else the seconds until the window ends."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"rl:{scope}:{identity}:{window}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=WINDOW_SECONDS + 5)
            count = 1
    if count <= limit:
        return None
    return max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)


class RateLimited(Exception):
    """Over a limit: try again in `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited for {retry_after} s")
        self.retry_after = retry_after


def check_rate(scope: str, identity: str, limit: int) -> None:
    """Count one hit; raises RateLimited when it is over the limit."""
    retry_after = hit(scope, identity, limit)
    if retry_after is not None:
        raise RateLimited(retry_after)
