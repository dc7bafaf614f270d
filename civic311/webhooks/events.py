"""The body of a webhook call: the event, and the request as the public API shows it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from civic311.georeport import formats, serialize
from civic311.georeport.photos import photo_urls
from civic311.service_requests.models import ServiceRequest, TimelineEntry


def payload(entry: TimelineEntry) -> dict[str, Any]:
    """Everything but the delivery id, built once per event and shared by every webhook.

    `service_request` is the request as it is when the event is dispatched (it may already be
    newer than the event); `entry` is the event itself. No personal data: the same
    serialization as GET requests/{id}.json?extensions=true.
    """
    request = ServiceRequest.objects.select_related("service", "department", "parent").get(
        pk=entry.request_id
    )
    notes = TimelineEntry.objects.filter(request=request, public=True).order_by("at", "id")
    photos = photo_urls([request.pk])
    return {
        "type": entry.type,
        "created": serialize.w3c(timezone.now()),
        "service_request": serialize.request(
            request, extensions=True, notes=notes, media_urls=photos.get(request.pk) or None
        ),
        "entry": {
            "type": entry.type,
            "note": entry.note or None,
            "datetime": serialize.w3c(entry.at),
        },
    }


def body(delivery_id: int, event: dict[str, Any]) -> str:
    return formats.json_bytes({"id": str(delivery_id), **event}).decode("utf-8")
