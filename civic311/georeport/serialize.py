"""The catalogue and discovery as GeoReport v2 data (lib/formats.py writes it out). A request's
public record is the core's (service_requests/public.py): the API, webhooks and open data
publish that one shape.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Max
from django.urls import reverse

from civic311.catalog.models import AttributeValue, Service, ServiceAttribute
from civic311.lib.dates import w3c


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
