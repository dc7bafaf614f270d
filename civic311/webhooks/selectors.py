"""Reads: an app's webhooks (scoped to its key), the delivery log, and who hears an event."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from civic311.apikeys.models import ApiKey
from civic311.choices import AreaKind, Channel, KeyKind, KeyStatus, WebhookScope
from civic311.lib.errors import NotFound, Problem
from civic311.service_requests.models import ServiceRequest
from civic311.webhooks.models import Webhook, WebhookDelivery

LOG_SIZE = 100


def webhooks_of(api_key: ApiKey) -> QuerySet[Webhook]:
    return Webhook.objects.filter(api_key=api_key).order_by("id")


def get_webhook_for_key(api_key: ApiKey, webhook_id: str) -> Webhook:
    """The key's own webhook; someone else's is as absent as one that never existed."""
    found = None
    if webhook_id.isascii() and webhook_id.isdigit() and len(webhook_id) < 19:
        found = webhooks_of(api_key).filter(pk=int(webhook_id)).first()
    if found is None:
        raise NotFound([Problem("webhook.not_found", "webhook_id", _("No such webhook."))])
    return found


def delivery_log(webhook: Webhook) -> list[WebhookDelivery]:
    """The latest deliveries, newest first."""
    return list(
        WebhookDelivery.objects.filter(webhook=webhook)
        .select_related("entry__request")
        .order_by("-created_at", "-id")[:LOG_SIZE]
    )


def parse_bbox(raw: str) -> tuple[float, float, float, float] | None:
    """minLong,minLat,maxLong,maxLat, as in GET requests; None when it is not one."""
    try:
        values = tuple(float(part) for part in raw.split(","))
    except ValueError:
        return None
    if len(values) != 4:
        return None
    west, south, east, north = values
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None  # NaN fails these comparisons too
    return west, south, east, north


def _inside(bbox: str, request: ServiceRequest) -> bool:
    box = parse_bbox(bbox)
    if box is None:
        return False
    west, south, east, north = box
    return west <= request.long <= east and south <= request.lat <= north


def webhooks_for_event(*, request: ServiceRequest, event: str) -> list[Webhook]:
    """Active webhooks of usable keys that want this event of this request.

    "own" means submitted through the API by the key's app. The request records the app's name
    (`source`), not the key, so a production key's "own" webhook hears about requests sent with
    any production key of the same app name; test keys only ever submit sandbox requests, which
    send nothing.
    """
    area = Q(scope=WebhookScope.AREA)
    wanted = area & ~Q(bbox="")  # boxes are checked below
    for kind, code in (
        (AreaKind.WARD, request.ward),
        (AreaKind.COMMUNITY_AREA, request.community_area),
        (AreaKind.ZIP, request.zipcode),
    ):
        if code:
            wanted |= area & Q(area_kind=kind, area_code=code)
    if request.channel == Channel.API and request.source:
        wanted |= Q(
            scope=WebhookScope.OWN,
            api_key__app_name=request.source,
            api_key__kind=KeyKind.PRODUCTION,
        )
    candidates = Webhook.objects.filter(
        wanted, active=True, api_key__status=KeyStatus.ACTIVE
    ).order_by("id")
    return [
        hook
        for hook in candidates
        if (not hook.events or event in hook.events)
        and (not hook.bbox or _inside(hook.bbox, request))
    ]
