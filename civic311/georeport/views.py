"""The GeoReport v2 calls (GET), and the wrapper every call shares: formats, errors, CORS,
rate limits, jurisdiction. POST requests is in submit.py; servicerequestupdates in updates.py."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from civic311.catalog.cache import catalog
from civic311.catalog.models import Jurisdiction, Service
from civic311.errors import DomainError, InvalidInput, NotFound, NotPermitted, Problem, Unavailable
from civic311.georeport import formats, ratelimit, serialize
from civic311.georeport.models import RequestToken
from civic311.georeport.params import list_query, single_values
from civic311.georeport.photos import photo_urls
from civic311.service_requests import selectors
from civic311.service_requests.models import ServiceRequest, TimelineEntry

log = logging.getLogger(__name__)

View = Callable[..., HttpResponse]

_STATUS = {InvalidInput: 400, NotFound: 404, NotPermitted: 403, Unavailable: 503}


def describe(problem: Problem) -> str:
    return f"{problem.field}: {problem.message}" if problem.field else problem.message


def domain_error(fmt: str, error: DomainError) -> HttpResponse:
    status = next((code for kind, code in _STATUS.items() if isinstance(error, kind)), 400)
    return formats.errors(fmt, status, [describe(p) for p in error.problems])


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after


def check_rate(scope: str, identity: str, limit: int) -> None:
    retry_after = ratelimit.hit(scope, identity, limit)
    if retry_after is not None:
        raise RateLimited(retry_after)


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
    """Wraps a call: allowed methods, every error in the spec's format, CORS for reads, the
    anonymous per-client rate limit for reads, and (for `cacheable` reads) a short-lived shared
    cache of the answer."""

    def decorator(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
                response["Allow"] = ", ".join((*methods, "OPTIONS"))
            elif request.method not in (*methods, "HEAD" if "GET" in methods else ""):
                response = formats.errors(
                    fmt, 405, [_("Use %(methods)s.") % {"methods": " or ".join(methods)}]
                )
                response["Allow"] = ", ".join(methods)
            else:
                response = _call(view, request, fmt, args, kwargs, cacheable=cacheable)
            if request.method in ("GET", "HEAD", "OPTIONS"):
                response["Access-Control-Allow-Origin"] = "*"
                response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
                response["Access-Control-Allow-Headers"] = "Content-Type"
                response["Access-Control-Max-Age"] = "86400"
            return response

        return wrapper

    return decorator


def _call(
    view: View,
    request: HttpRequest,
    fmt: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    cacheable: bool,
) -> HttpResponse:
    try:
        if request.method in ("GET", "HEAD"):
            check_rate("get", ratelimit.client_address(request), settings.API_GET_PER_MINUTE)
            if cacheable and settings.API_CACHE_SECONDS:
                return _cached(view, request, fmt, args, kwargs)
        return view(request, *args, fmt=fmt, **kwargs)
    except DomainError as error:
        return domain_error(fmt, error)
    except RateLimited as limited:
        return formats.errors(
            fmt,
            429,
            [_("Too many requests; try again in %(s)d seconds.") % {"s": limited.retry_after}],
            {"Retry-After": str(limited.retry_after)},
        )
    except RequestDataTooBig:
        return formats.errors(fmt, 400, [_("The request body is too large.")])
    except TooManyFieldsSent:
        return formats.errors(fmt, 400, [_("The request has too many parameters.")])
    except (MultiPartParserError, BadRequest, UnicodeDecodeError) as exc:
        log.info("unreadable request body: %s", type(exc).__name__)
        return formats.errors(fmt, 400, [_("The request body could not be read.")])


def _cached(
    view: View, request: HttpRequest, fmt: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> HttpResponse:
    """Public lists and the catalogue are the same for everyone and read far more often than
    they change: each answer is kept for API_CACHE_SECONDS (and may be kept as long by proxies
    and browsers, per Cache-Control). The catalogue's version is part of the key, so an edited
    service shows at once in this process. One request (GET requests/{id}) is never cached:
    tracking must be current."""
    seconds = settings.API_CACHE_SECONDS
    key = f"api:{catalog.version()}:{request.get_full_path()}"
    hit = cache.get(key)
    if hit is not None:
        content, content_type = hit
        response = HttpResponse(content, content_type=content_type)
    else:
        response = view(request, *args, fmt=fmt, **kwargs)
        if response.status_code == 200:
            cache.set(key, (response.content, response["Content-Type"]), seconds)
    if response.status_code == 200:
        response["Cache-Control"] = f"public, max-age={seconds}"
    return response


def query_params(request: HttpRequest) -> dict[str, str]:
    return single_values(request.GET)


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
        photos = photo_urls(ids)
        data = [
            serialize.request(
                r,
                extensions=True,
                notes=notes.get(r.pk, []),
                media_urls=photos.get(r.pk) or None,
            )
            for r in requests
        ]
    else:
        photos = photo_urls(ids, first_only=True)
        data = [serialize.request(r, media_urls=photos.get(r.pk) or None) for r in requests]
    return formats.render(fmt, "service_requests", data)


@open311("GET", cacheable=True)
def requests_list(request: HttpRequest, fmt: str) -> HttpResponse:
    params = query_params(request)
    check_jurisdiction(params)
    query = list_query(params)
    offset = (query.page - 1) * query.page_size
    found = list(selectors.search_requests(query.filters)[offset : offset + query.page_size])
    return render_requests(fmt, found, extensions=query.extensions)


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
