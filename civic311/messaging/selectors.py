"""The text conversation behind a request, for staff who may see its internal data.

It holds the resident's phone number and everything they wrote, so it is never public: the
staff request page includes `staff/_transcript.html` only for a request that came by SMS and a
user allowed Verb.SEE_INTERNAL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from civic311.messaging.models import Direction, Message
from civic311.service_requests.models import ServiceRequest


@dataclass(frozen=True)
class Line:
    at: datetime  # UTC
    at_local: datetime  # in the city's time zone, for display
    incoming: bool
    body: str
    media: int  # how many photos came with it
    phone: str


def transcript_for(request: ServiceRequest) -> list[Line]:
    """Every message of the dialog that created `request` and every update texted about it,
    oldest first."""
    zone = ZoneInfo(settings.CITY_TIME_ZONE)
    messages = Message.objects.filter(request=request).select_related("phone").order_by("at", "id")
    return [
        Line(
            at=m.at,
            at_local=m.at.astimezone(zone),
            incoming=m.direction == Direction.IN,
            body=m.body,
            media=len(m.media or []),
            phone=m.phone.number,
        )
        for m in messages
    ]
