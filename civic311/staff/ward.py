"""The ward office view: every request in a ward with its status and age, a CSV export, and a
request taken for a constituent (channel = ward office).

A ward office sees its own ward only (access.get_ward_for_staff); other staff may open any
ward. The export carries the reporters' contact columns only when the policy lets the user
read them (Verb.SEE_INTERNAL), and is streamed: a busy ward holds tens of thousands of rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET

from civic311.choices import AreaKind, Channel, Role, Status
from civic311.geo.models import Area
from civic311.service_requests import actions, permissions, selectors
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.permissions import Verb
from civic311.staff import intake
from civic311.staff.access import get_ward_for_staff, role, staff_view

PAGE_SIZE = 50
STATUSES = ("open", "closed", "all")
PERIODS = {"30": 30, "90": 90, "365": 365, "all": None}
CSV_CHUNK = 2000
CSV_LINES_PER_WRITE = 500


@dataclass(frozen=True)
class WardFilters:
    status: str = "open"
    period: str = "365"
    service: str = ""

    @classmethod
    def from_query(cls, query: Any) -> WardFilters:
        status = query.get("status", "open")
        period = query.get("period", "365")
        return cls(
            status=status if status in STATUSES else "open",
            period=period if period in PERIODS else "365",
            service=query.get("service", "")[:64],
        )

    def as_query(self) -> str:
        return urlencode({"status": self.status, "period": self.period, "service": self.service})


def ward_requests(ward: str, filters: WardFilters) -> QuerySet[ServiceRequest]:
    """The ward's requests matching the filters, newest first. Open ones are read through the
    partial index of open requests by ward; all or closed ones through (ward, requested_at)."""
    qs = ServiceRequest.objects.filter(ward=ward, is_test=False)
    if filters.status == "open":
        qs = selectors.only_open(qs)
    elif filters.status == "closed":
        qs = selectors.only_closed(qs)
    days = PERIODS[filters.period]
    if days is not None:
        qs = qs.filter(requested_at__gte=timezone.now() - timedelta(days=days))
    if filters.service:
        service = actions.load_service(filters.service)
        qs = qs.filter(service_id=service.pk if service else -1)
    return qs.order_by("-requested_at", "-id")


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


def _before(text: str) -> tuple[datetime, int] | None:
    """The "older" page's cursor: the last row's requested_at and id."""
    moment, _sep, pk = text.rpartition(",")
    parsed = parse_datetime(moment) if moment else None
    if parsed is None or not pk.isdigit():
        return None
    return parsed, int(pk)


@require_GET
@staff_view()
def wards(request: HttpRequest) -> HttpResponse:
    """A ward office goes straight to its ward; other staff pick one."""
    mine = role(request)
    if mine.role == Role.WARD_OFFICE:
        return redirect("staff:ward", code=mine.ward)
    areas = list(Area.objects.filter(kind=AreaKind.WARD).values_list("code", "name"))
    areas.sort(key=lambda area: (len(area[0]), area[0]))  # "2" before "10"
    return render(request, "staff/wards.html", {"wards": areas})


@require_GET
@staff_view()
def ward(request: HttpRequest, code: str) -> HttpResponse:
    area = get_ward_for_staff(request.user, code)
    filters = WardFilters.from_query(request.GET)
    qs = ward_requests(code, filters).select_related("service", "department")
    cursor = _before(request.GET.get("before", ""))
    if cursor is not None:
        moment, pk = cursor
        qs = qs.filter(requested_at__lte=moment).exclude(requested_at=moment, id__gte=pk)
    page = list(qs[: PAGE_SIZE + 1])
    now = timezone.now()
    older = ""
    if len(page) > PAGE_SIZE:
        page = page[:PAGE_SIZE]
        last = page[-1]
        older = f"{last.requested_at.isoformat()},{last.pk}"
    open_qs = selectors.only_open(ServiceRequest.objects.filter(ward=code, is_test=False))
    counts = {
        "open": open_qs.count(),
        "overdue": open_qs.filter(expected_at__lt=now).count(),
    }
    mine = role(request)
    return render(
        request,
        "staff/ward.html",
        {
            "area": area,
            "rows": _rows(page, now),
            "filters": filters,
            "statuses": STATUSES,
            "periods": PERIODS,
            "services": intake.active_services(),
            "older": older,
            "counts": counts,
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
# A cell a spreadsheet would run as a formula (CSV injection): residents type these fields.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any, tz: ZoneInfo) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_lines(qs: QuerySet[ServiceRequest], *, contacts: bool) -> Iterator[str]:
    columns = _COLUMNS + (_CONTACT_COLUMNS if contacts else [])
    writer = csv.writer(_Echo())
    tz = ZoneInfo(settings.CITY_TIME_ZONE)
    now = timezone.now()
    yield writer.writerow([name for name, _field in columns] + ["age_days", "overdue"])
    status_index = [name for name, _f in columns].index("status")
    fields = [field for _name, field in columns]
    # Rows as tuples, a chunk at a time: memory stays flat however many rows the ward has.
    # Lines go out a few hundred at a time: each piece yielded is one write to the socket.
    batch: list[str] = []
    for values in qs.values_list(*fields).iterator(chunk_size=CSV_CHUNK):
        requested, expected, closed = values[5], values[6], values[7]
        is_closed = Status.is_closed(values[status_index])
        age = ((closed or now) - requested).days
        overdue = not is_closed and expected is not None and expected < now
        batch.append(
            writer.writerow([_cell(v, tz) for v in values] + [age, "yes" if overdue else ""])
        )
        if len(batch) >= CSV_LINES_PER_WRITE:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


@require_GET
@staff_view()  # type: ignore[arg-type]  # a streamed response is a response too
def ward_csv(request: HttpRequest, code: str) -> StreamingHttpResponse:
    get_ward_for_staff(request.user, code)
    filters = WardFilters.from_query(request.GET)
    contacts = may_see_contacts(request.user, code)
    stamp = timezone.now().astimezone(ZoneInfo(settings.CITY_TIME_ZONE)).strftime("%Y%m%d")
    response = StreamingHttpResponse(
        csv_lines(ward_requests(code, filters), contacts=contacts),
        content_type="text/csv; charset=utf-8",
    )
    name = f"ward-{code}-{filters.status}-{filters.period}-{stamp}.csv"
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
