"""The GeoReport v2 calls (GET) and the jurisdiction check; the wrapper every call shares
(formats, errors, CORS, rate limits) is lib/api.py. POST requests is in submit.py;
servicerequestupdates in updates.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from civic311.catalog.cache import catalog
from civic311.catalog.models import Jurisdiction, Service
from civic311.georeport import serialize
from civic311.georeport.listing import list_query
from civic311.georeport.models import RequestToken
from civic311.lib import api, formats
from civic311.lib.api import query_params
from civic311.lib.errors import InvalidInput, NotFound, Problem
from civic311.media.selectors import public_urls
from civic311.service_requests import lists, public
from civic311.service_requests.models import ServiceRequest, TimelineEntry

View = Callable[..., HttpResponse]


def check_jurisdiction(params: dict[str, str]) -> Jurisdiction | None:
    """`jurisdiction_id` is optional for one city and must match when sent; a deployment with
    several jurisdictions requires it."""
    sent = params.get("jurisdiction_id")
    jurisdictions = catalog.jurisdictions()
    if sent is None:
        if len(jurisdictions) > 1:
            raise InvalidInput(
                [
                    Problem(
                        "jurisdiction_id.missing",
                        "jurisdiction_id",
                        _("jurisdiction_id is required."),
                    )
                ]
            )
        return jurisdictions[0] if jurisdictions else None
    found = next((j for j in jurisdictions if j.jurisdiction_id == sent), None)
    if found is None:
        raise NotFound(
            [Problem("jurisdiction_id.unknown", "jurisdiction_id", _("Unknown jurisdiction_id."))]
        )
    return found


def open311(*methods: str, cacheable: bool = False) -> Callable[[View], View]:
    """A GeoReport call (lib/api.py); `cacheable` reads are kept briefly under the catalogue's
    version, so an edited service shows at once."""
    return api.call(*methods, cache_version=catalog.version if cacheable else None)


# --- The calls ----------------------------------------------------------------------------------


@open311("GET", cacheable=True)
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    jurisdiction = check_jurisdiction(query_params(request))
    data = serialize.discovery(
        contact=jurisdiction.contact if jurisdiction else "",
        key_service=jurisdiction.key_service if jurisdiction else "",
    )
    return formats.render(fmt, "discovery", data)


def _services(jurisdiction: Jurisdiction | None) -> Any:
    qs = Service.objects.filter(active=True).annotate(questions=Count("attributes"))
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction=jurisdiction)
    return qs.order_by("group", "service_name")


@open311("GET", cacheable=True)
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    jurisdiction = check_jurisdiction(query_params(request))
    data = [serialize.service(s, has_attributes=s.questions > 0) for s in _services(jurisdiction)]
    return formats.render(fmt, "services", data)


@open311("GET", cacheable=True)
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    jurisdiction = check_jurisdiction(query_params(request))
    qs = Service.objects.filter(service_code=code, active=True).prefetch_related(
        "attributes__values"
    )
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction=jurisdiction)
    found = qs.first()
    if found is None:
        raise NotFound(
            [
                Problem(
                    "service_code.unknown",
                    "service_code",
                    _("There is no service “%(code)s”.") % {"code": code[:64]},
                )
            ]
        )
    return formats.render(fmt, "service_definition", serialize.definition(found))


def render_requests(fmt: str, requests: list[ServiceRequest], *, extensions: bool) -> HttpResponse:
    ids = [r.pk for r in requests]
    if extensions:
        notes: dict[int, list[TimelineEntry]] = {}
        for entry in TimelineEntry.objects.filter(request__in=ids, public=True).order_by(
            "at", "id"
        ):
            notes.setdefault(entry.request_id, []).append(entry)
        photos = public_urls(ids)
        data = [
            public.request_record(
                r,
                extensions=True,
                notes=notes.get(r.pk, []),
                media_urls=photos.get(r.pk) or None,
            )
            for r in requests
        ]
    else:
        photos = public_urls(ids, first_only=True)
        data = [public.request_record(r, media_urls=photos.get(r.pk) or None) for r in requests]
    return formats.render(fmt, "service_requests", data)


@open311("GET", cacheable=True)
def requests_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """A page of requests. The next page's address is in the `Link` header (RFC 8288,
    rel="next"): the body is the spec's bare list, with no room for it."""
    params = query_params(request)
    check_jurisdiction(params)
    query = list_query(params)
    page = lists.page_of(
        query.requests,
        size=query.page_size,
        order=query.order,
        cursor=query.cursor,
        skip=0 if query.cursor else (query.page - 1) * query.page_size,
    )
    response = render_requests(fmt, page.rows, extensions=query.extensions)
    if page.next:
        following = {k: v for k, v in params.items() if k != "page"} | {"cursor": page.next}
        response["Link"] = f'<{request.path}?{urlencode(following)}>; rel="next"'
    return response


@open311("GET")
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    params = query_params(request)
    check_jurisdiction(params)
    found = (
        ServiceRequest.objects.select_related("service", "department", "parent")
        .filter(tracking_number=service_request_id)
        .first()
    )
    if found is None:
        raise NotFound(
            [
                Problem(
                    "request.not_found",
                    "service_request_id",
                    _("No request %(id)s.") % {"id": service_request_id[:20]},
                )
            ]
        )
    extensions = params.get("extensions", "").lower() in ("true", "1", "yes")
    return render_requests(fmt, [found], extensions=extensions)


@open311("GET")
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    check_jurisdiction(query_params(request))
    found = RequestToken.objects.select_related("request").filter(token=token).first()
    if found is None:
        raise NotFound([Problem("token.unknown", "token", _("Unknown token."))])
    data = [{"service_request_id": found.request.tracking_number, "token": found.token}]
    return formats.render(fmt, "service_requests", data)


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    fmt = "xml" if path.endswith(".xml") else "json"
    return formats.errors(
        fmt, 404, [_("No such call. See %(url)s") % {"url": "/open311/v2/discovery.json"}]
    )
