"""Which follower gets which email for a timeline entry (the "email" dispatch handler).

Runs in the worker for every entry. It only writes Delivery rows and their send tasks, in one
transaction; sending is a task per delivery (sending.py). Repeating it for the same entry
creates nothing new (one delivery per subscription, entry and kind).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from civic311.choices import NotificationKind, SubscriptionChannel, TimelineType
from civic311.notifications import deliveries, dispatch, subscriptions
from civic311.notifications.models import Subscription
from civic311.service_requests.models import TimelineEntry


def kind_for(entry: TimelineEntry) -> NotificationKind | None:
    """The email an entry is worth to a resident, if any."""
    if entry.type == TimelineType.OPENED:
        return NotificationKind.RECEIVED
    if entry.type in (TimelineType.STATUS_CHANGED, TimelineType.SCHEDULED):
        if entry.data.get("to") in settings.NOTIFY_STATUS_CHANGES:
            return NotificationKind.STATUS
        return None
    if entry.type == TimelineType.CLOSED:
        return NotificationKind.CLOSED
    if entry.type == TimelineType.REOPENED:
        return NotificationKind.REOPENED
    if entry.type == TimelineType.MERGED:
        return NotificationKind.MOVED
    if entry.type == TimelineType.REROUTED:
        # Another department fixes it now: same number, new hands, and the resident is told.
        return NotificationKind.REROUTED
    return None


def active_followers(entry: TimelineEntry, channel: str) -> list[Subscription]:
    return list(
        Subscription.objects.filter(
            request=entry.request,
            channel=channel,
            confirmed_at__isnull=False,
            unsubscribed_at__isnull=True,
            moved_to__isnull=True,
        )
    )


EMAIL = SubscriptionChannel.EMAIL


@dispatch.register("email")
def on_timeline_entry(entry: TimelineEntry) -> None:
    # A developer's test request notifies nobody; internal entries are staff-only.
    if entry.request.is_test or not entry.public:
        return
    kind = kind_for(entry)
    if entry.type == TimelineType.OPENED:
        subscriptions.subscribe_reporter(entry.request)
    if kind is None:
        return
    with transaction.atomic():
        if kind == NotificationKind.MOVED:
            moved = subscriptions.move_followers(entry)
            recipients = [s for s in moved if s.is_active and s.channel == EMAIL]
        else:
            recipients = active_followers(entry, EMAIL)
        for subscription in recipients:
            deliveries.queue(subscription, kind, entry)
