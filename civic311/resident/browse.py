"""Browse what is reported: a list and a map of requests with filters, a page per ward and per
community area, and an index of the areas.

The filters are the core's (service_requests/filters.py); lists are read a page at a time by
the keyset pager (service_requests/lists.py), without counting the whole table (a million
rows): a page holds PAGE_SIZE requests and links to the next by a cursor when there is one
(`?page=N`, the numbered links of before, still opens the N-th page, up to MAX_PAGE).
The map reads the same filters through points.json, up to MAP_POINTS points (newest first), so
it shows far more than the page of the list, and says so when there are more.
Nothing about who reported a request is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civic311.catalog.cache import catalog
from civic311.catalog.translation import translated
from civic311.choices import AreaKind, Status
from civic311.geo import selectors as areas_selectors
from civic311.geo.models import Area
from civic311.lib.errors import DomainError
from civic311.lib.paging import Page
from civic311.service_requests import filters, lists
from civic311.service_requests.models import ServiceRequest

PAGE_SIZE = 50
MAX_PAGE = 200
MAP_POINTS = 1000
LIST_FIELDS = ("tracking_number", "status", "address", "requested_at", "service_id")


class BrowseFilters(filters.RequestFilters):
    """The public lists' filters. A status that is not one of the choices reads as "open"
    (a hand-edited link shows the default list, not an error)."""

    service = filters.ServiceFilter(known=filters.is_service)
    status = filters.Open311StatusFilter(fallback=["open"])
    ward = filters.AreaFilter()
    community_area = filters.AreaFilter()
    since = filters.DayFilter("requested_at", edge="from")
    until = filters.DayFilter("requested_at", edge="until")
    defaults = {"status": "open"}


@dataclass
class Filters:
    """What the page's form shows back, and the query string of its links."""

    service: str = ""
    status: str = "open"
    ward: str = ""
    community_area: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1
    errors: dict[str, str] | None = None
    cursor: str = ""

    def query(self, *, cursor: str = "") -> str:
        """These filters as a query string, at `cursor` (the first page without), for links
        and the map."""
        values = {
            "service": self.service,
            "status": "" if self.status == "open" else self.status,
            "ward": self.ward,
            "community_area": self.community_area,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "cursor": cursor,
        }
        return urlencode({name: value for name, value in values.items() if value})


def _page_number(data: QueryDict) -> int:
    try:
        return min(MAX_PAGE, max(1, int(data.get("page", "1"))))
    except ValueError:
        return 1


def parse_filters(
    data: QueryDict, *, ward: str = "", community_area: str = ""
) -> tuple[Filters, BrowseFilters]:
    fixed = {"ward": ward, "community_area": community_area}
    chosen = BrowseFilters(data, fixed={name: code for name, code in fixed.items() if code})
    values = chosen.values
    errors = {problem.field: problem.message for problem in chosen.problems()}
    services = values.get("service") or ()
    shown = Filters(
        service=services[0] if services else "",
        status=values.get("status") or "all",
        ward=values.get("ward", ""),
        community_area=values.get("community_area", ""),
        since=values.get("since"),
        until=values.get("until"),
        page=_page_number(data),
        errors=errors,
        cursor=data.get("cursor", "")[:500],
    )
    return shown, chosen


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


def _read(shown: Filters, chosen: BrowseFilters) -> Page[ServiceRequest]:
    """One page of the list (one query, no count); none when the filters have a problem, and
    the first when the cursor is not one of ours."""
    if shown.errors:
        return Page(rows=[])
    skip = 0 if shown.cursor else (shown.page - 1) * PAGE_SIZE
    try:
        return lists.page_of(
            chosen.qs, size=PAGE_SIZE, cursor=shown.cursor, skip=skip, only=LIST_FIELDS
        )
    except DomainError:
        return lists.page_of(chosen.qs, size=PAGE_SIZE, only=LIST_FIELDS)


def _rows(found: list[ServiceRequest]) -> list[Row]:
    # Service names from the catalogue held in the process: no join on a million rows.
    names = _service_names_by_id()
    zone = ZoneInfo(settings.CITY_TIME_ZONE)
    track = reverse("resident:track-lookup")
    rows = []
    for sr in found:
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
    return rows


def _service_names_by_id() -> dict[int, str]:
    return {s.pk: translated(s, "service_name") for s in catalog.all_services()}


def _services() -> list[tuple[str, str]]:
    return sorted(
        ((s.service_code, translated(s, "service_name")) for s in catalog.all_services()),
        key=lambda pair: pair[1],
    )


def _page(
    request: HttpRequest,
    chosen: tuple[Filters, BrowseFilters],
    *,
    template: str,
    base_url: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    shown = chosen[0]
    page = _read(*chosen)
    number = (page.position or 0) // PAGE_SIZE + 1
    context: dict[str, Any] = {
        "filters": shown,
        "page_number": number,
        "errors": shown.errors or {},
        "rows": _rows(page.rows),
        "services": _services(),
        "statuses": [("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))],
        "first_url": f"{base_url}?{shown.query()}" if number > 2 else "",
        "previous_url": f"{base_url}?{shown.query(cursor=page.previous)}" if page.previous else "",
        "next_url": f"{base_url}?{shown.query(cursor=page.next)}" if page.next else "",
        "points_url": f"{reverse('resident:request-points')}?{shown.query()}",
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_center": settings.MAP_CENTER,
        "map_points": MAP_POINTS,
        "city_time_zone": ZoneInfo(settings.CITY_TIME_ZONE),
        **(extra or {}),
    }
    return render(request, template, context, status=400 if shown.errors else 200)


@require_GET
def requests_list(request: HttpRequest) -> HttpResponse:
    """/requests/: every public request, filtered, as a list and a map."""
    return _page(
        request,
        parse_filters(request.GET),
        template="resident/requests.html",
        base_url=reverse("resident:requests"),
        extra={"wards": areas_selectors.areas_of_kind(AreaKind.WARD)},
    )


@require_GET
def points(request: HttpRequest) -> JsonResponse:
    """/requests/points.json: the map's points for the same filters (newest first, at most
    MAP_POINTS): [lat, long, tracking number, "open"/"closed", service name]."""
    shown, chosen = parse_filters(request.GET)
    rows = [] if shown.errors else lists.points(chosen.qs, limit=MAP_POINTS)
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
    area = areas_selectors.get_area(kind, code)
    if area is None:
        raise Http404(_("There is no such area."))
    return area


def _area_page(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    area = _area_or_404(kind, code)
    is_ward = kind == AreaKind.WARD
    chosen = parse_filters(
        request.GET,
        ward=area.code if is_ward else "",
        community_area="" if is_ward else area.code,
    )
    return _page(
        request,
        chosen,
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
            "wards": areas_selectors.areas_of_kind(AreaKind.WARD),
            "community_areas": sorted(
                areas_selectors.areas_of_kind(AreaKind.COMMUNITY_AREA),
                key=lambda row: row[1].lower(),
            ),
        },
    )
