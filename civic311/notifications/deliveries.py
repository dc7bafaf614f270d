"""Creating deliveries: one row per follower, event and kind, and its send task, together.

The row and the task are written in the caller's transaction (the outbox), so a delivery exists
if, and only if, the change that caused it committed.
"""

from __future__ import annotations

from django.db import transaction

from civic311.choices import NotificationKind, NotificationStatus, SubscriptionChannel
from civic311.notifications.models import Delivery, Subscription
from civic311.notifications.outbox import enqueue_in_transaction
from civic311.service_requests.models import TimelineEntry


def enqueue_send(delivery: Delivery) -> None:
    """Enqueue the send task of the delivery's channel (in the current transaction)."""
    if delivery.subscription.channel == SubscriptionChannel.EMAIL:
        from civic311.notifications.channels.email.sending import send_delivery

        enqueue_in_transaction(send_delivery, delivery.pk)
    elif delivery.subscription.channel == SubscriptionChannel.SMS:
        from civic311.notifications.channels.sms.sending import send_delivery as send_text

        enqueue_in_transaction(send_text, delivery.pk)
    else:  # pragma: no cover - a channel without a sender
        raise ValueError(f"no sender for channel {delivery.subscription.channel!r}")


def queue(
    subscription: Subscription,
    kind: NotificationKind,
    entry: TimelineEntry | None = None,
    *,
    force_new: bool = False,
) -> Delivery | None:
    """The delivery of `kind` about `entry` to `subscription`, created and enqueued once.

    Returns None when it already existed (nothing is enqueued again). Confirmations have no
    entry: `force_new` asks for another one (someone follows again after unsubscribing)."""
    with transaction.atomic():
        if entry is None:
            earlier = Delivery.objects.filter(
                subscription=subscription, entry__isnull=True, kind=kind
            )
            if force_new:
                # One still waiting to go out will do.
                earlier = earlier.filter(status=NotificationStatus.PENDING)
            if earlier.exists():
                return None
            delivery = Delivery.objects.create(subscription=subscription, kind=kind)
        else:
            delivery, created = Delivery.objects.get_or_create(
                subscription=subscription, entry=entry, kind=kind
            )
            if not created:
                return None
        delivery.subscription = subscription
        enqueue_send(delivery)
    return delivery
