"""The webhook calls of the API: an app registers, lists and removes its webhooks and reads
their delivery log, with its API key. JSON only; errors in the Open311 format."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from civic311.apikeys.models import ApiKey
from civic311.apikeys.selectors import usable_key
from civic311.choices import DeliveryStatus
from civic311.lib import api, formats
from civic311.lib.api import presented_key, query_params
from civic311.lib.dates import w3c
from civic311.lib.params import single_values
from civic311.lib.ratelimit import check_rate
from civic311.webhooks import actions, selectors
from civic311.webhooks.models import Webhook, WebhookDelivery

View = Callable[..., HttpResponse]


def _json_only(view: View) -> View:
    """The calls exist as .json only: the format is fixed here, not captured from the URL."""

    @csrf_exempt
    @wraps(view)
    def bound(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, fmt="json", **kwargs)

    return bound


def webhook_data(hook: Webhook, *, with_secret: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(hook.pk),
        "url": hook.url,
        "scope": hook.scope,
        "area_kind": hook.area_kind or None,
        "area_code": hook.area_code or None,
        "bbox": hook.bbox or None,
        "events": list(hook.events),
        "active": hook.active,
        "created_datetime": w3c(hook.created_at),
    }
    if with_secret:
        data["secret"] = hook.secret
    return data


def delivery_data(delivery: WebhookDelivery) -> dict[str, Any]:
    waiting = delivery.status == DeliveryStatus.PENDING
    return {
        "id": str(delivery.pk),
        "event": delivery.event,
        "service_request_id": delivery.entry.request.tracking_number,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_datetime": w3c(delivery.next_attempt_at) if waiting else None,
        "response_status": delivery.response_status,
        "response_body": delivery.response_body or None,
        "last_error": delivery.last_error or None,
        "created_datetime": w3c(delivery.created_at),
        "delivered_datetime": w3c(delivery.delivered_at),
    }


def _events(request: HttpRequest) -> list[str]:
    """`events=a,b`, or `events` repeated."""
    return [
        name.strip()
        for value in request.POST.getlist("events")
        for name in value.split(",")
        if name.strip()
    ]


def _key(request: HttpRequest) -> ApiKey:
    return usable_key(presented_key(request, query_params(request)))


@api.call("GET", "POST")
def _webhooks(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        params = single_values(request.POST)
        key = usable_key(presented_key(request, params))
        check_rate("post", str(key.pk), key.posts_per_minute or settings.API_POST_PER_MINUTE)
        hook = actions.register_webhook(
            api_key=key,
            url=params.get("url", ""),
            scope=params.get("scope", ""),
            area_kind=params.get("area_kind", ""),
            area_code=params.get("area_code", ""),
            bbox=params.get("bbox", ""),
            events=_events(request),
        )
        return formats.render(fmt, "webhooks", [webhook_data(hook, with_secret=True)], status=201)
    key = _key(request)
    return formats.render(fmt, "webhooks", [webhook_data(h) for h in selectors.webhooks_of(key)])


@api.call("GET", "DELETE")
def _webhook(request: HttpRequest, webhook_id: str, fmt: str) -> HttpResponse:
    key = _key(request)
    hook = selectors.get_webhook_for_key(key, webhook_id)
    if request.method == "DELETE":
        actions.delete_webhook(webhook=hook)
        return HttpResponse(status=204)
    return formats.render(fmt, "webhooks", [webhook_data(hook)])


@api.call("GET")
def _deliveries(request: HttpRequest, webhook_id: str, fmt: str) -> HttpResponse:
    key = _key(request)
    hook = selectors.get_webhook_for_key(key, webhook_id)
    log = selectors.delivery_log(hook)
    return formats.render(fmt, "deliveries", [delivery_data(d) for d in log])


webhooks = _json_only(_webhooks)
webhook = _json_only(_webhook)
deliveries = _json_only(_deliveries)
