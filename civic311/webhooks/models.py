"""Webhooks: an app's URL that hears about changes to requests, and the log of what was sent.

Rows here are written by webhooks/actions.py (registration) and webhooks/delivery.py (sending).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic311.choices import AreaKind, DeliveryStatus, WebhookScope


class Webhook(models.Model):
    """A URL registered by an app (through its API key). Events are signed with `secret`, which
    the app is shown once, when it registers; it is kept in clear because signing needs it."""

    api_key = models.ForeignKey("apikeys.ApiKey", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100)
    scope = models.CharField(_("scope"), max_length=8, choices=WebhookScope.choices)
    # With scope "area": a boundary (kind and code of a geo.Area) or a bounding box.
    area_kind = models.CharField(
        _("area kind"), max_length=20, choices=AreaKind.choices, blank=True
    )
    area_code = models.CharField(_("area code"), max_length=32, blank=True)
    bbox = models.CharField(
        _("bounding box"), max_length=100, blank=True, help_text=_("minLong,minLat,maxLong,maxLat")
    )
    # Timeline types (request.closed, note.added …); empty: every public event.
    events = models.JSONField(_("event types"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        indexes = [
            models.Index(fields=["scope", "area_kind", "area_code"], name="webhook_area"),
        ]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one webhook: at most one per (webhook, timeline entry), so a dispatch that
    runs twice sends once. Also the log the app reads: attempts, the last answer, the last
    error. `body` is built once, so every attempt sends (and signs) the same bytes."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    entry = models.ForeignKey(
        "service_requests.TimelineEntry", on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(_("event type"), max_length=40)
    body = models.TextField(_("body sent"))
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    response_body = models.CharField(_("last answer (start)"), max_length=500, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["webhook", "entry"], name="webhook_delivery_once"),
        ]
        indexes = [
            # The delivery log: a webhook's latest deliveries first.
            models.Index(fields=["webhook", "created_at"], name="webhook_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"
