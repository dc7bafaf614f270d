"""The wrapper every call of the public API shares (the Open311 GeoReport calls and their
extensions): the methods a URL takes, every error in the Open311 format of the asked suffix,
CORS for reads, the per-client rate limits (reads; writes refused for a missing or wrong API
key), the API key a caller presents, and an optional short-lived shared cache of public
answers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from civic311.lib import formats, ratelimit
from civic311.lib.errors import (
    DomainError,
    InvalidInput,
    NotFound,
    NotPermitted,
    Problem,
    Unavailable,
)
from civic311.lib.params import single_values
from civic311.lib.ratelimit import RateLimited, check_rate, check_waiting, client_address

log = logging.getLogger(__name__)

View = Callable[..., HttpResponse]

_STATUS = {InvalidInput: 400, NotFound: 404, NotPermitted: 403, Unavailable: 503}
# Writes are counted per API key by the call itself (an app's own limit is on its key's
# record). A caller whose key is missing or wrong never reaches that count, so its refusals are
# counted per address: past API_REFUSED_KEY_PER_MINUTE it is answered 429 before its body is
# read or its key looked up, whatever key it sends, until the window ends.
_REFUSED_KEY = "refused-key"


def describe(problem: Problem) -> str:
    return f"{problem.field}: {problem.message}" if problem.field else problem.message


def domain_error(fmt: str, error: DomainError) -> HttpResponse:
    status = next((code for kind, code in _STATUS.items() if isinstance(error, kind)), 400)
    return formats.errors(fmt, status, [describe(p) for p in error.problems])


def query_params(request: HttpRequest) -> dict[str, str]:
    return single_values(request.GET)


def presented_key(request: HttpRequest, params: dict[str, str]) -> str:
    """The API key from `Authorization: Bearer …` (preferred: URLs end up in logs) or the spec's
    `api_key` parameter."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return params.get("api_key", "").strip()


def call(*methods: str, cache_version: Callable[[], str] | None = None) -> Callable[[View], View]:
    """Wraps a call taking `fmt` ("json" or "xml"). With `cache_version`, successful GETs are
    kept for API_CACHE_SECONDS under a key that includes that version (see _cached)."""

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
                response = _call(view, request, fmt, args, kwargs, cache_version=cache_version)
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
    cache_version: Callable[[], str] | None,
) -> HttpResponse:
    reading = request.method in ("GET", "HEAD")
    try:
        if reading:
            check_rate("get", client_address(request), settings.API_GET_PER_MINUTE)
            if cache_version is not None and settings.API_CACHE_SECONDS:
                return _cached(view, request, fmt, args, kwargs, cache_version())
        else:
            limit = settings.API_REFUSED_KEY_PER_MINUTE
            check_waiting(_REFUSED_KEY, client_address(request), limit)
        return view(request, *args, fmt=fmt, **kwargs)
    except DomainError as error:
        if not reading and any(p.code.startswith("api_key.") for p in error.problems):
            limit = settings.API_REFUSED_KEY_PER_MINUTE
            retry_after = ratelimit.hit(_REFUSED_KEY, client_address(request), limit)
            if retry_after is not None:
                return _too_many(fmt, retry_after)
        return domain_error(fmt, error)
    except RateLimited as limited:
        return _too_many(fmt, limited.retry_after)
    except RequestDataTooBig:
        return formats.errors(fmt, 400, [_("The request body is too large.")])
    except TooManyFieldsSent:
        return formats.errors(fmt, 400, [_("The request has too many parameters.")])
    except (MultiPartParserError, BadRequest, UnicodeDecodeError) as exc:
        log.info("unreadable request body: %s", type(exc).__name__)
        return formats.errors(fmt, 400, [_("The request body could not be read.")])


def _too_many(fmt: str, retry_after: int) -> HttpResponse:
    return formats.errors(
        fmt,
        429,
        [_("Too many requests; try again in %(s)d seconds.") % {"s": retry_after}],
        {"Retry-After": str(retry_after)},
    )


def _cached(
    view: View,
    request: HttpRequest,
    fmt: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    version: str,
) -> HttpResponse:
    """Public lists and the catalogue are the same for everyone and read far more often than
    they change: each answer is kept for API_CACHE_SECONDS (and may be kept as long by proxies
    and browsers, per Cache-Control). The caller's version (the catalogue's) is part of the key,
    so an edited service shows at once in this process. One request (GET requests/{id}) is
    never cached: tracking must be current."""
    seconds = settings.API_CACHE_SECONDS
    key = f"api:{version}:{request.get_full_path()}"
    hit = cache.get(key)
    if hit is not None:
        content, content_type, *link = hit  # entries cached before the Link header had two
        response = HttpResponse(content, content_type=content_type)
        if link and link[0]:
            response["Link"] = link[0]  # a list's next page (georeport/views.py)
    else:
        response = view(request, *args, fmt=fmt, **kwargs)
        if response.status_code == 200:
            kept = (response.content, response["Content-Type"], response.get("Link", ""))
            cache.set(key, kept, seconds)
    if response.status_code == 200:
        response["Cache-Control"] = f"public, max-age={seconds}"
    return response
