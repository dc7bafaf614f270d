"""A request's status in one text message: number, service, place, status, date, tracking URL.

Only what the public tracking page shows: never the reporter, never an internal note. Read as
one narrow query (the fields below, for every number the resident may have meant): a status
query is the most frequent text, and building full model objects was most of its cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from civic311.catalog.translation import translated
from civic311.choices import Status
from civic311.service_requests import tracking
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.tracking import tracking_url


@dataclass(frozen=True)
class Public:
    """What anyone may know about a request."""

    tracking_number: str
    service_name: str
    address: str
    status: str
    requested_at: datetime
    expected_at: datetime | None
    closed_at: datetime | None
    parent_number: str | None
    is_test: bool
    # The service's names in other languages, read by catalog.translation.translated().
    translations: dict[str, dict[str, str]] | None = None

    @property
    def is_closed(self) -> bool:
        return Status.is_closed(self.status)


_FIELDS = (
    "tracking_number",
    "service__service_name",
    "address",
    "status",
    "requested_at",
    "expected_at",
    "closed_at",
    "parent__tracking_number",
    "is_test",
    "service__translations",
)


def find(typed: str) -> Public | None:
    """The request a person meant, however they typed its number (as the tracking page reads
    it: this year's number first, then last year's)."""
    typed = typed.strip()
    wanted = (
        [typed]
        if tracking.is_canonical(typed)
        else tracking.candidates(typed, today=timezone.now())
    )
    if not wanted:
        return None
    rows = {
        row[0]: Public(*row)
        for row in ServiceRequest.objects.filter(tracking_number__in=wanted).values_list(*_FIELDS)
    }
    return next((rows[n] for n in wanted if n in rows), None)


def local_date(moment: datetime) -> str:
    return formats.date_format(
        moment.astimezone(ZoneInfo(settings.CITY_TIME_ZONE)), "SHORT_DATE_FORMAT"
    )


def status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


def describe(request: Public) -> str:
    """The status sentence, in the active language."""
    what = translated(request, "service_name")
    if request.address:
        what = _("%(service)s at %(address)s") % {"service": what, "address": request.address}
    head = _("311 request %(number)s (%(what)s): %(status)s.") % {
        "number": request.tracking_number,
        "what": what,
        "status": status_label(request.status),
    }
    if request.status == Status.CLOSED_DUPLICATE and request.parent_number:
        detail = _("Follow %(number)s instead: %(url)s") % {
            "number": request.parent_number,
            "url": tracking_url(request.parent_number),
        }
        return f"{head} {detail}"
    if request.is_closed and request.closed_at is not None:
        when = _("Closed on %(date)s.") % {"date": local_date(request.closed_at)}
    elif request.expected_at is not None:
        when = _("Expected by %(date)s.") % {"date": local_date(request.expected_at)}
    else:
        when = _("Received on %(date)s.") % {"date": local_date(request.requested_at)}
    return f"{head} {when} {tracking_url(request.tracking_number)}"
