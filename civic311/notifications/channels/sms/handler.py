"""Which phone follower gets which text for a timeline entry (the "sms" dispatch handler).

Texts cost the resident attention and the city money, so fewer events than email: received,
closed, reopened, and merged into another request. "Received" goes to the reporter of a request
made on another channel who asked for texts (a caller, through the 311 operator); a report made
by text already had its tracking number in the conversation's last reply. Like the email
handler it only writes Delivery rows and their send tasks; repeating it creates nothing new.
"""

from __future__ import annotations

from django.db import transaction

from civic311.choices import Channel, NotificationKind, SubscriptionChannel, TimelineType
from civic311.notifications import deliveries, dispatch, subscriptions
from civic311.notifications.channels.email.handler import active_followers
from civic311.service_requests.models import TimelineEntry

SMS = SubscriptionChannel.SMS
KINDS = {
    TimelineType.OPENED: NotificationKind.RECEIVED,
    TimelineType.CLOSED: NotificationKind.CLOSED,
    TimelineType.REOPENED: NotificationKind.REOPENED,
    TimelineType.MERGED: NotificationKind.MOVED,
}


@dispatch.register("sms")
def on_timeline_entry(entry: TimelineEntry) -> None:
    if entry.request.is_test or not entry.public:
        return
    kind = KINDS.get(TimelineType(entry.type)) if entry.type in TimelineType.values else None
    if kind is None:
        return
    if kind == NotificationKind.RECEIVED and entry.request.channel == Channel.SMS:
        return  # the conversation's last reply was the receipt
    with transaction.atomic():
        if kind == NotificationKind.MOVED:
            moved = subscriptions.move_followers(entry)
            recipients = [s for s in moved if s.is_active and s.channel == SMS]
        else:
            recipients = active_followers(entry, SMS)
        if kind == NotificationKind.RECEIVED:
            # A receipt is for whoever reported it, not for neighbours who follow it.
            recipients = [s for s in recipients if s.is_reporter]
        for subscription in recipients:
            deliveries.queue(subscription, kind, entry)
