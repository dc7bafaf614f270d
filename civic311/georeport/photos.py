"""Photo addresses for API output: `media_url` (the first) and `media_urls` (all)."""

from __future__ import annotations

from collections.abc import Sequence


def photo_urls(request_ids: Sequence[int], *, first_only: bool = False) -> dict[int, list[str]]:
    """Public URLs of the processed (metadata-free) photos of each request, in order; one
    query for the whole page."""
    if not request_ids:
        return {}
    from civic311.media.selectors import public_urls

    return public_urls(request_ids, first_only=first_only)
