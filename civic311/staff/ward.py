"""The ward office view: every request in a ward with its status and age, a CSV export, and a
request taken for a constituent (channel = ward office).

A ward office sees its own ward only (access.get_ward_for_staff); other staff may open any
ward. The export carries the reporters' contact columns only when the policy lets the user
read them (Verb.SEE_INTERNAL), and is streamed: a busy ward holds tens of thousands of rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET

from civic311.choices import AreaKind, Channel, Role, Status
from civic311.geo.selectors import areas_of_kind
from civic311.lib import csvwriter
from civic311.lib.errors import DomainError
from civic311.lib.paging import Page, cursor_after
from civic311.service_requests import filters, lists, permissions
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.permissions import Verb
from civic311.staff import intake
from civic311.staff.access import get_ward_for_staff, role, staff_view

PAGE_SIZE = 50
STATUSES = ("open", "closed", "all")
PERIODS = {"30": 30, "90": 90, "365": 365, "all": None}
CSV_CHUNK = 2000


class WardRequests(filters.RequestFilters):
    """The ward view's filters (and its CSV's). A value that is not one of the choices reads
    as the default: the page shows its usual list rather than an error."""

    ward = filters.AreaFilter()
    status = filters.Open311StatusFilter(fallback=["open"])
    period = filters.RecentFilter(periods=PERIODS, fallback="365")
    service = filters.ServiceFilter()
    defaults = {"status": "open", "period": "365"}


@dataclass(frozen=True)
class WardFilters:
    """The filters as the page shows them back, and their query string."""

    status: str = "open"
    period: str = "365"
    service: str = ""

    @classmethod
    def of(cls, chosen: WardRequests) -> WardFilters:
        values = chosen.values
        services = values.get("service") or ()
        return cls(
            status=values.get("status") or "all",
            period=values.get("period") or "365",
            service=services[0][:64] if services else "",
        )

    def as_query(self) -> str:
        return urlencode({"status": self.status, "period": self.period, "service": self.service})


def ward_requests(ward: str, data: Any) -> WardRequests:
    """The ward's requests the query selects, newest first. Open ones are read through the
    partial index of open requests by ward; all or closed ones through (ward, requested_at)."""
    return WardRequests(data, fixed={"ward": ward})


def may_see_contacts(user: Any, ward: str) -> bool:
    """Whether the policy lets `user` read reporters' contacts in this ward. The rule depends on
    the role and the ward, not on one request, so a stand-in request of the ward is judged."""
    return permissions.allowed(user, Verb.SEE_INTERNAL, ServiceRequest(ward=ward, status="open"))


@dataclass(frozen=True)
class Row:
    sr: ServiceRequest
    age_days: int
    overdue: bool


def _rows(requests: list[ServiceRequest], now: datetime) -> list[Row]:
    return [
        Row(
            sr,
            age_days=((sr.closed_at or now) - sr.requested_at).days,
            overdue=not sr.is_closed and sr.expected_at is not None and sr.expected_at < now,
        )
        for sr in requests
    ]


def _cursor(query: Any) -> str:
    """The page asked for: `cursor`, or `before`, the last row's "requested_at,id" that the
    "Older requests" links carried before cursors."""
    if query.get("cursor"):
        return str(query["cursor"])[:500]
    moment, _sep, pk = query.get("before", "").rpartition(",")
    parsed = parse_datetime(moment) if moment else None
    if parsed is None or parsed.tzinfo is None or not pk.isdigit():
        return ""
    return cursor_after((parsed, int(pk)))


def _page(chosen: WardRequests, cursor: str) -> Page[ServiceRequest]:
    """A page of the list; the first when the cursor is not one of ours."""
    related = ("service", "department")
    try:
        return lists.page_of(chosen.qs, size=PAGE_SIZE, cursor=cursor, related=related)
    except DomainError:
        return lists.page_of(chosen.qs, size=PAGE_SIZE, related=related)


@require_GET
@staff_view()
def wards(request: HttpRequest) -> HttpResponse:
    """A ward office goes straight to its ward; other staff pick one."""
    mine = role(request)
    if mine.role == Role.WARD_OFFICE:
        return redirect("staff:ward", code=mine.ward)
    return render(request, "staff/wards.html", {"wards": areas_of_kind(AreaKind.WARD)})


@require_GET
@staff_view()
def ward(request: HttpRequest, code: str) -> HttpResponse:
    area = get_ward_for_staff(request.user, code)
    chosen = ward_requests(code, request.GET)
    shown = WardFilters.of(chosen)
    page = _page(chosen, _cursor(request.GET))
    now = timezone.now()
    query = shown.as_query()
    mine = role(request)
    return render(
        request,
        "staff/ward.html",
        {
            "area": area,
            "rows": _rows(page.rows, now),
            "filters": shown,
            "statuses": STATUSES,
            "periods": PERIODS,
            "services": intake.active_services(),
            "newest_url": f"?{query}" if page.previous else "",
            "newer_url": f"?{query}&{urlencode({'cursor': page.previous})}"
            if page.previous
            else "",
            "older_url": f"?{query}&{urlencode({'cursor': page.next})}" if page.next else "",
            "counts": lists.ward_figures(code, now=now),
            "may_submit": mine.role in (Role.WARD_OFFICE, Role.ADMINISTRATOR)
            and permissions.may_submit_in_ward(request.user, code),
            "city_time_zone": settings.CITY_TIME_ZONE,
        },
    )


# --- CSV --------------------------------------------------------------------------------------

_COLUMNS = [
    ("tracking_number", "tracking_number"),
    ("service_code", "service__service_code"),
    ("service_name", "service__service_name"),
    ("status", "status"),
    ("department", "department__name"),
    ("requested_at", "requested_at"),
    ("expected_at", "expected_at"),
    ("closed_at", "closed_at"),
    ("address", "address"),
    ("community_area", "community_area"),
    ("lat", "lat"),
    ("long", "long"),
    ("channel", "channel"),
    ("description", "description"),
]
_CONTACT_COLUMNS = [
    ("reporter_first_name", "contact__first_name"),
    ("reporter_last_name", "contact__last_name"),
    ("reporter_phone", "contact__phone"),
    ("reporter_email", "contact__email"),
]


def csv_lines(chosen: WardRequests, *, contacts: bool) -> Iterator[str]:
    """RFC 4180 lines, formula-safe, streamed (lib/csvwriter.py)."""
    columns = _COLUMNS + (_CONTACT_COLUMNS if contacts else [])
    header = [name for name, _field in columns] + ["age_days", "overdue"]
    tz = ZoneInfo(settings.CITY_TIME_ZONE)
    return csvwriter.lines(header, _csv_rows(chosen, columns), tz=tz)


def _csv_rows(chosen: WardRequests, columns: list[tuple[str, str]]) -> Iterator[list[Any]]:
    now = timezone.now()
    status_index = [name for name, _f in columns].index("status")
    fields = [field for _name, field in columns]
    # Rows as tuples, a chunk at a time: memory stays flat however many rows the ward has.
    for values in lists.export_rows(chosen.qs, fields=fields, chunk=CSV_CHUNK):
        requested, expected, closed = values[5], values[6], values[7]
        is_closed = Status.is_closed(values[status_index])
        age = ((closed or now) - requested).days
        overdue = not is_closed and expected is not None and expected < now
        yield [*values, age, "yes" if overdue else ""]


@require_GET
@staff_view()  # type: ignore[arg-type]  # a streamed response is a response too
def ward_csv(request: HttpRequest, code: str) -> StreamingHttpResponse:
    get_ward_for_staff(request.user, code)
    chosen = ward_requests(code, request.GET)
    shown = WardFilters.of(chosen)
    contacts = may_see_contacts(request.user, code)
    stamp = timezone.now().astimezone(ZoneInfo(settings.CITY_TIME_ZONE)).strftime("%Y%m%d")
    response = StreamingHttpResponse(
        csv_lines(chosen, contacts=contacts),
        content_type="text/csv; charset=utf-8",
    )
    name = f"ward-{code}-{shown.status}-{shown.period}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Taking a request for a constituent --------------------------------------------------------


@staff_view(Role.WARD_OFFICE)
def new(request: HttpRequest, code: str) -> HttpResponse:
    area = get_ward_for_staff(request.user, code)
    back = reverse("staff:ward", kwargs={"code": code})
    return intake.page(
        request,
        channel=Channel.WARD_OFFICE,
        taken=lambda sr: redirect(f"{back}?taken={sr.tracking_number}"),
        context={"area": area},
    )
