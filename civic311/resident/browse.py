"""Browse what is reported: a list and a map of requests with filters, a page per ward and per
community area, and an index of the areas.

Lists are read a page at a time through selectors.search_requests, without counting the whole
table (a million rows): a page holds PAGE_SIZE requests and links to the next when there is one.
The map reads the same filters through points.json, up to MAP_POINTS points (newest first), so
it shows far more than the page of the list, and says so when there are more.
Nothing about who reported a request is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civic311.catalog.cache import catalog
from civic311.catalog.translation import translated
from civic311.choices import AreaKind, Status
from civic311.geo.models import Area
from civic311.service_requests import selectors
from civic311.service_requests.models import ServiceRequest

PAGE_SIZE = 50
MAX_PAGE = 200
MAP_POINTS = 1000
STATUSES = ("open", "closed", "all")
LIST_FIELDS = ("tracking_number", "status", "address", "requested_at", "service_id")


@dataclass
class Filters:
    service: str = ""
    status: str = "open"
    ward: str = ""
    community_area: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1
    errors: dict[str, str] | None = None

    def query(self, *, page: int = 1) -> str:
        """These filters as a query string, at `page`, for links and the map."""
        values = {
            "service": self.service,
            "status": "" if self.status == "open" else self.status,
            "ward": self.ward,
            "community_area": self.community_area,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "page": str(page) if page > 1 else "",
        }
        return urlencode({name: value for name, value in values.items() if value})


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def parse_filters(data: QueryDict, *, ward: str = "", community_area: str = "") -> Filters:
    errors: dict[str, str] = {}
    service = data.get("service", "").strip()
    if service and catalog.service(service) is None:
        errors["service"] = _("There is no such service.")
        service = ""
    status = data.get("status", "open")
    if status not in STATUSES:
        status = "open"
    since, until = _date(data.get("since", "")), _date(data.get("until", ""))
    if data.get("since", "").strip() and since is None:
        errors["since"] = _("Give a date like 2026-05-01.")
    if data.get("until", "").strip() and until is None:
        errors["until"] = _("Give a date like 2026-05-01.")
    try:
        page = min(MAX_PAGE, max(1, int(data.get("page", "1"))))
    except ValueError:
        page = 1
    return Filters(
        service=service,
        status=status,
        ward=ward or data.get("ward", "").strip()[:10],
        community_area=community_area or data.get("community_area", "").strip()[:10],
        since=since,
        until=until,
        page=page,
        errors=errors,
    )


def _matching(filters: Filters) -> QuerySet[ServiceRequest]:
    zone = ZoneInfo(settings.CITY_TIME_ZONE)
    start = datetime.combine(filters.since, time.min, zone) if filters.since else None
    end = (
        datetime.combine(filters.until + timedelta(days=1), time.min, zone)
        if filters.until
        else None
    )
    return selectors.search_requests(
        selectors.RequestFilters(
            service_codes=(filters.service,) if filters.service else (),
            open311_statuses=(filters.status,) if filters.status != "all" else (),
            requested_from=start,
            requested_to=end,
            ward=filters.ward,
            community_area=filters.community_area,
        )
    )


@dataclass(frozen=True)
class Row:
    """One line of the list, formatted here: fifty rows of template lookups, URL reversals
    and time-zone conversions were most of the page's time."""

    tracking_number: str
    url: str
    service: str
    status: str
    address: str
    requested_iso: str
    requested_text: str


def _rows(filters: Filters) -> tuple[list[Row], bool]:
    """One page of the list and whether another follows (one query, no count)."""
    start = (filters.page - 1) * PAGE_SIZE
    found = list(
        _matching(filters).select_related(None).only(*LIST_FIELDS)[start : start + PAGE_SIZE + 1]
    )
    # Service names from the catalogue held in the process: no join on a million rows.
    names = _service_names_by_id()
    zone = ZoneInfo(settings.CITY_TIME_ZONE)
    track = reverse("resident:track-lookup")
    rows = []
    for sr in found[:PAGE_SIZE]:
        local = sr.requested_at.astimezone(zone)
        rows.append(
            Row(
                tracking_number=sr.tracking_number,
                url=f"{track}{sr.tracking_number}",
                service=names.get(sr.service_id, ""),
                status=str(sr.get_status_display()),
                address=sr.address,
                requested_iso=local.isoformat(),
                requested_text=date_format(local, "j M Y"),
            )
        )
    return rows, len(found) > PAGE_SIZE


def _service_names_by_id() -> dict[int, str]:
    return {s.pk: translated(s, "service_name") for s in catalog.all_services()}


def _services() -> list[tuple[str, str]]:
    return sorted(
        ((s.service_code, translated(s, "service_name")) for s in catalog.all_services()),
        key=lambda pair: pair[1],
    )


def _areas(kind: str) -> list[tuple[str, str]]:
    rows = Area.objects.filter(kind=kind).values_list("code", "name")
    return sorted(rows, key=lambda row: (len(row[0]), row[0]) if row[0].isdigit() else (99, row[0]))


def _page(
    request: HttpRequest,
    filters: Filters,
    *,
    template: str,
    base_url: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    rows, more = _rows(filters)
    context: dict[str, Any] = {
        "filters": filters,
        "errors": filters.errors or {},
        "rows": rows,
        "services": _services(),
        "statuses": [("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))],
        "previous_url": f"{base_url}?{filters.query(page=filters.page - 1)}"
        if filters.page > 1
        else "",
        "next_url": f"{base_url}?{filters.query(page=filters.page + 1)}"
        if more and filters.page < MAX_PAGE
        else "",
        "points_url": f"{reverse('resident:request-points')}?{filters.query()}",
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_center": settings.MAP_CENTER,
        "map_points": MAP_POINTS,
        "city_time_zone": ZoneInfo(settings.CITY_TIME_ZONE),
        **(extra or {}),
    }
    return render(request, template, context, status=400 if filters.errors else 200)


@require_GET
def requests_list(request: HttpRequest) -> HttpResponse:
    """/requests/: every public request, filtered, as a list and a map."""
    filters = parse_filters(request.GET)
    return _page(
        request,
        filters,
        template="resident/requests.html",
        base_url=reverse("resident:requests"),
        extra={"wards": _areas(AreaKind.WARD)},
    )


@require_GET
def points(request: HttpRequest) -> JsonResponse:
    """/requests/points.json: the map's points for the same filters (newest first, at most
    MAP_POINTS): [lat, long, tracking number, "open"/"closed", service name]."""
    filters = parse_filters(request.GET)
    rows = list(
        _matching(filters)
        .select_related(None)
        .values_list("lat", "long", "tracking_number", "status", "service_id")[: MAP_POINTS + 1]
    )
    closed = set(Status.closed_values())
    names = _service_names_by_id()
    data = [
        [
            round(lat, 5),
            round(long, 5),
            number,
            "closed" if status in closed else "open",
            names.get(service_id, ""),
        ]
        for lat, long, number, status, service_id in rows[:MAP_POINTS]
    ]
    response = JsonResponse({"points": data, "more": len(rows) > MAP_POINTS})
    response["Cache-Control"] = "public, max-age=60"
    return response


def _area_or_404(kind: str, code: str) -> Area:
    area = Area.objects.filter(kind=kind, code=code).only("code", "name", "kind").first()
    if area is None:
        raise Http404(_("There is no such area."))
    return area


def _area_page(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    area = _area_or_404(kind, code)
    is_ward = kind == AreaKind.WARD
    filters = parse_filters(
        request.GET,
        ward=area.code if is_ward else "",
        community_area="" if is_ward else area.code,
    )
    return _page(
        request,
        filters,
        template="resident/area.html",
        base_url=reverse(
            "resident:ward" if is_ward else "resident:community-area", kwargs={"code": area.code}
        ),
        extra={
            "area": area,
            "feed_url": reverse("resident:ward-feed", kwargs={"code": area.code})
            if is_ward
            else "",
        },
    )


@require_GET
def ward(request: HttpRequest, code: str) -> HttpResponse:
    """/wards/<code>/: the ward's open requests (or others, with the filters)."""
    return _area_page(request, AreaKind.WARD, code)


@require_GET
def community_area(request: HttpRequest, code: str) -> HttpResponse:
    """/community-areas/<code>/: the community area's open requests."""
    return _area_page(request, AreaKind.COMMUNITY_AREA, code)


@require_GET
def areas(request: HttpRequest) -> HttpResponse:
    """/areas/: every ward and community area, each a link to its page."""
    return render(
        request,
        "resident/areas.html",
        {
            "wards": _areas(AreaKind.WARD),
            "community_areas": sorted(
                _areas(AreaKind.COMMUNITY_AREA), key=lambda row: row[1].lower()
            ),
        },
    )
