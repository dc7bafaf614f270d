"""Writes: an app registers or removes a webhook; an event becomes one delivery per webhook."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from civic311.apikeys.models import ApiKey
from civic311.choices import AreaKind, TimelineType, WebhookScope
from civic311.geo.models import Area
from civic311.lib.errors import InvalidInput, Problem
from civic311.notifications.outbox import enqueue_in_transaction
from civic311.service_requests.models import TimelineEntry
from civic311.webhooks import addresses, signing
from civic311.webhooks.events import body as event_body
from civic311.webhooks.models import Webhook, WebhookDelivery
from civic311.webhooks.selectors import parse_bbox, webhooks_of
from civic311.webhooks.tasks import deliver_webhook

MAX_PER_KEY = 20
AREA_KINDS = (AreaKind.WARD, AreaKind.COMMUNITY_AREA, AreaKind.ZIP)


def _check_area(
    scope: str, area_kind: str, area_code: str, bbox: str, problems: list[Problem]
) -> None:
    if scope != WebhookScope.AREA:
        for name, value in (("area_kind", area_kind), ("area_code", area_code), ("bbox", bbox)):
            if value:
                problems.append(Problem("area.not_allowed", name, _("Only with scope=area.")))
        return
    if bbox and (area_kind or area_code):
        problems.append(
            Problem("area.both", "bbox", _("Send either area_kind and area_code, or bbox."))
        )
    elif bbox:
        if parse_bbox(bbox) is None:
            problems.append(
                Problem(
                    "bbox.invalid",
                    "bbox",
                    _("bbox must be minLong,minLat,maxLong,maxLat with min below max."),
                )
            )
    elif area_kind not in AREA_KINDS:
        problems.append(
            Problem(
                "area_kind.invalid",
                "area_kind",
                _("With scope=area, send bbox, or area_kind (one of %(kinds)s) and area_code.")
                % {"kinds": ", ".join(AREA_KINDS)},
            )
        )
    elif not Area.objects.filter(kind=area_kind, code=area_code).exists():
        problems.append(
            Problem("area_code.unknown", "area_code", _("There is no such area of that kind."))
        )


def register_webhook(
    *,
    api_key: ApiKey,
    url: str,
    scope: str,
    area_kind: str = "",
    area_code: str = "",
    bbox: str = "",
    events: Sequence[str] = (),
) -> Webhook:
    """A new webhook for the key's app. Its `secret` is shown to the app once, now."""
    problems: list[Problem] = []
    if not url:
        problems.append(Problem("field.missing", "url", _("Required.")))
    else:
        try:
            addresses.check_url(url)
        except addresses.Refused as refused:
            problems.append(Problem("url.invalid", "url", str(refused)))
    if scope not in WebhookScope.values:
        problems.append(Problem("scope.invalid", "scope", _("scope must be “own” or “area”.")))
    else:
        _check_area(scope, area_kind, area_code, bbox, problems)
    wanted = list(dict.fromkeys(events))
    unknown = [e for e in wanted if e not in TimelineType.values]
    if unknown:
        problems.append(
            Problem(
                "events.invalid",
                "events",
                _("Unknown event types; use some of %(list)s.")
                % {"list": ", ".join(TimelineType.values)},
            )
        )
    if webhooks_of(api_key).count() >= MAX_PER_KEY:
        problems.append(
            Problem(
                "webhooks.too_many",
                "url",
                _("At most %(n)d webhooks per key; delete one first.") % {"n": MAX_PER_KEY},
            )
        )
    if problems:
        raise InvalidInput(problems)
    return Webhook.objects.create(
        api_key=api_key,
        url=url,
        secret=signing.new_secret(),
        scope=scope,
        area_kind=area_kind if scope == WebhookScope.AREA else "",
        area_code=area_code if scope == WebhookScope.AREA else "",
        bbox=bbox if scope == WebhookScope.AREA else "",
        events=wanted,
    )


def delete_webhook(*, webhook: Webhook) -> None:
    """Removes the webhook and its delivery log; queued attempts find nothing to send."""
    Webhook.objects.filter(pk=webhook.pk).delete()


def record_delivery(
    *, webhook: Webhook, entry: TimelineEntry, event: dict[str, Any]
) -> WebhookDelivery | None:
    """One delivery of the event to the webhook, queued with it; None when there already is
    one (the dispatch ran before: a task runs at least once)."""
    with transaction.atomic():
        delivery, created = WebhookDelivery.objects.get_or_create(
            webhook=webhook, entry=entry, defaults={"event": entry.type, "body": ""}
        )
        if not created:
            return None
        delivery.body = event_body(delivery.pk, event)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(body=delivery.body)
        enqueue_in_transaction(deliver_webhook, delivery.pk)
    return delivery
