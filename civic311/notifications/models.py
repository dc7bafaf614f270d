"""Who follows a request (Subscription) and every message sent to them (Delivery).

A Delivery row is the idempotency record: one per subscription, timeline entry and kind, so a
timeline entry dispatched twice (a task runs at least once) sends once.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic311.choices import NotificationKind, NotificationStatus, SubscriptionChannel


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    request = models.ForeignKey(
        "service_requests.ServiceRequest",
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("request"),
    )
    channel = models.CharField(
        _("channel"),
        max_length=16,
        choices=SubscriptionChannel.choices,
        default=SubscriptionChannel.EMAIL,
    )
    # Lower-cased. Private: shown to staff in the admin only, never on a page or in a feed.
    address = models.CharField(_("address"), max_length=254)
    language = models.CharField(_("language"), max_length=8, default="en")
    is_reporter = models.BooleanField(_("reporter"), default=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    # Set when the request was merged into another: the follower now follows that one.
    moved_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moved to"),
    )
    # The secret in confirm and unsubscribe links: whoever holds it may do both, nothing more.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "channel", "address"], name="subscription_unique_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} subscription {self.pk} to {self.request_id}"

    @property
    def is_active(self) -> bool:
        """Confirmed, not unsubscribed, not moved: it receives updates."""
        return (
            self.confirmed_at is not None
            and self.unsubscribed_at is None
            and self.moved_to_id is None
        )


class Delivery(models.Model):
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    # The event it is about; none for a confirmation request.
    entry = models.ForeignKey(
        "service_requests.TimelineEntry",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("timeline entry"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "entry", "kind"], name="delivery_once_per_event"
            )
        ]
        indexes = [
            # The sweep: deliveries stuck in `pending` or `sending`.
            models.Index(fields=["status", "next_attempt_at"], name="delivery_status_next"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} delivery {self.pk} ({self.status})"
