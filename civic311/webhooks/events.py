"""The body of a webhook call: the event, and the request as the public API shows it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from civic311.lib import formats
from civic311.lib.dates import w3c
from civic311.media.selectors import public_urls
from civic311.service_requests import public, selectors
from civic311.service_requests.models import TimelineEntry


def payload(entry: TimelineEntry) -> dict[str, Any]:
    """Everything but the delivery id, built once per event and shared by every webhook.

    `service_request` is the request as it is when the event is dispatched (it may already be
    newer than the event); `entry` is the event itself. No personal data: the same
    serialization as GET requests/{id}.json?extensions=true.
    """
    request = selectors.get_request(entry.request_id)
    notes = selectors.public_timeline(request)
    photos = public_urls([request.pk])
    return {
        "type": entry.type,
        "created": w3c(timezone.now()),
        "service_request": public.request_record(
            request, extensions=True, notes=notes, media_urls=photos.get(request.pk) or None
        ),
        "entry": {
            "type": entry.type,
            "note": entry.note or None,
            "datetime": w3c(entry.at),
        },
    }


def body(delivery_id: int, event: dict[str, Any]) -> str:
    return formats.json_bytes({"id": str(delivery_id), **event}).decode("utf-8")
