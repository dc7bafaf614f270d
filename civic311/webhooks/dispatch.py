"""The webhooks channel of the notifications dispatcher: a public event of a real (not sandbox)
request becomes one delivery per webhook that wants it."""

from __future__ import annotations

from civic311.notifications import dispatch
from civic311.service_requests.models import TimelineEntry
from civic311.webhooks import actions, events, selectors


@dispatch.register("webhooks")
def send_to_webhooks(entry: TimelineEntry) -> None:
    request = entry.request
    if not entry.public or request.is_test:
        return
    hooks = selectors.webhooks_for_event(request=request, event=entry.type)
    if not hooks:
        return
    event = events.payload(entry)
    for hook in hooks:
        actions.record_delivery(webhook=hook, entry=entry, event=event)
