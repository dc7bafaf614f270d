"""Civic311 objects as GeoReport v2 data (see formats.py for how it is written out).

No personal data is ever put here: name, email, phone and device id stay in ReporterContact,
and `account_id` is added by the POST view only, only to the key that sent it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max
from django.urls import reverse

from civic311.catalog.models import AttributeValue, Service, ServiceAttribute
from civic311.choices import Open311NoteType, Status, TimelineType
from civic311.service_requests.models import ServiceRequest, TimelineEntry


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def w3c(moment: datetime | None) -> str | None:
    """A datetime as the city's clock shows it, with its offset: 2026-05-01T08:15:30-05:00."""
    if moment is None:
        return None
    return moment.astimezone(_zone(settings.CITY_TIME_ZONE)).isoformat(timespec="seconds")


def service(s: Service, *, has_attributes: bool) -> dict[str, Any]:
    return {
        "service_code": s.service_code,
        "service_name": s.service_name,
        "description": s.description or None,
        "metadata": has_attributes,
        "type": s.type,
        "keywords": s.keywords or None,
        "group": s.group or None,
    }


def _value(v: AttributeValue) -> dict[str, Any]:
    return {"key": v.key, "name": v.name}


def _attribute(a: ServiceAttribute) -> dict[str, Any]:
    return {
        "variable": a.variable,
        "code": a.code,
        "datatype": a.datatype,
        "required": a.required,
        "datatype_description": a.datatype_description or None,
        "order": a.order,
        "description": a.description,
        "values": [_value(v) for v in a.values.all()] if a.has_values else [],
    }


def definition(s: Service) -> dict[str, Any]:
    return {
        "service_code": s.service_code,
        "attributes": [_attribute(a) for a in s.attributes.all()],
    }


def changeset() -> str:
    """Changes whenever a service or one of its questions changes."""
    newest = [
        Service.objects.aggregate(m=Max("updated_at"))["m"],
        ServiceAttribute.objects.aggregate(m=Max("updated_at"))["m"],
    ]
    moments = [m for m in newest if m is not None]
    return w3c(max(moments)) if moments else "1970-01-01T00:00:00+00:00"  # type: ignore[return-value]


def discovery(*, contact: str, key_service: str) -> dict[str, Any]:
    base = settings.SITE_URL + reverse("georeport:root")
    current = changeset()
    formats = ["text/xml", "application/json"]
    return {
        "changeset": current,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base.rstrip("/"),
                "changeset": current,
                "type": "production",
                "formats": formats,
            },
            {
                # Test keys submit sandbox requests to the same URL.
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base.rstrip("/"),
                "changeset": current,
                "type": "test",
                "formats": formats,
            },
        ],
    }


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


def request(
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
