"""The public record of a request: what anyone may see of it, in the Open311 GeoReport v2 field
names. The API, webhooks and open data all publish this one shape, so the rule of what is public
lives here once.

No personal data is ever put here: name, email, phone and device id stay in ReporterContact,
and `account_id` is added by the API's POST answer only, only to the key that sent it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from civic311.choices import Open311NoteType, Status, TimelineType
from civic311.lib.dates import w3c
from civic311.service_requests.models import ServiceRequest, TimelineEntry

_NOTE_TYPE: dict[str, Open311NoteType] = {
    TimelineType.OPENED: Open311NoteType.OPENED,
    TimelineType.CLOSED: Open311NoteType.CLOSED,
    TimelineType.MERGED: Open311NoteType.CLOSED,
    TimelineType.DUPLICATE_ATTACHED: Open311NoteType.FOLLOW_ON_CREATED,
}


def _note(entry: TimelineEntry) -> dict[str, Any]:
    summary = entry.get_type_display()
    target = entry.data.get("to")
    if isinstance(target, str) and target in Status.values:
        summary = f"{summary}: {Status(target).label}"
    return {
        "datetime": w3c(entry.at),
        "type": _NOTE_TYPE.get(entry.type, Open311NoteType.ACTIVITY).value,
        "summary": str(summary),
        "description": entry.note or None,
    }


def _answers(answers: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for code, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            rows.append({"code": code, "value": str(one)})
    return rows


def request_record(
    r: ServiceRequest,
    *,
    extensions: bool = False,
    notes: Iterable[TimelineEntry] = (),
    media_urls: list[str] | None = None,
) -> dict[str, Any]:
    media = media_urls or ([r.media_url] if r.media_url else [])
    data: dict[str, Any] = {
        "service_request_id": r.tracking_number,
        "status": Status.open311(r.status),
        "status_notes": r.status_notes or None,
        "service_name": r.service.service_name,
        "service_code": r.service.service_code,
        "description": r.description or None,
        "agency_responsible": r.department.name,
        "service_notice": r.service.service_notice or None,
        "requested_datetime": w3c(r.requested_at),
        "updated_datetime": w3c(r.updated_at),
        "expected_datetime": w3c(r.expected_at),
        "address": r.address or None,
        "address_id": r.address_id or None,
        "zipcode": r.zipcode or None,
        "lat": r.lat,
        "long": r.long,
        "media_url": media[0] if media else None,
    }
    if extensions:
        parent = r.parent.tracking_number if r.parent_id and r.parent else None
        data["extended_attributes"] = {
            "channel": r.channel,
            "status_detail": r.status,
            "ward": r.ward or None,
            "community_area": r.community_area or None,
            "duplicate": r.parent_id is not None,
            "parent_service_request_id": parent,
            "title": r.service.service_name,
            "media_urls": media,
        }
        data["attributes"] = _answers(r.answers)
        data["notes"] = [_note(e) for e in notes]
    return data
