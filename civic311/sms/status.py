"""A request's status in one text message: number, service, place, status, date, tracking URL.

Only what the public tracking page shows: never the reporter, never an internal note.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from civic311.choices import Status
from civic311.notifications.channels.email.message import tracking_url
from civic311.service_requests.models import ServiceRequest


def local_date(moment: datetime) -> str:
    return formats.date_format(
        moment.astimezone(ZoneInfo(settings.CITY_TIME_ZONE)), "SHORT_DATE_FORMAT"
    )


def status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


def describe(request: ServiceRequest) -> str:
    """The status sentence, in the active language."""
    what = request.service.service_name
    if request.address:
        what = _("%(service)s at %(address)s") % {"service": what, "address": request.address}
    head = _("311 request %(number)s (%(what)s): %(status)s.") % {
        "number": request.tracking_number,
        "what": what,
        "status": status_label(request.status),
    }
    if request.status == Status.CLOSED_DUPLICATE and request.parent is not None:
        parent = request.parent.tracking_number
        detail = _("Follow %(number)s instead: %(url)s") % {
            "number": parent,
            "url": tracking_url(parent),
        }
        return f"{head} {detail}"
    if request.is_closed and request.closed_at is not None:
        when = _("Closed on %(date)s.") % {"date": local_date(request.closed_at)}
    elif request.expected_at is not None:
        when = _("Expected by %(date)s.") % {"date": local_date(request.expected_at)}
    else:
        when = _("Received on %(date)s.") % {"date": local_date(request.requested_at)}
    return f"{head} {when} {tracking_url(request.tracking_number)}"
