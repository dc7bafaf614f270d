"""API keys for app developers, and the records that make POSTs safe to retry."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class KeyKind(models.TextChoices):
    TEST = "test", _("Test (sandbox requests, issued at once)")
    PRODUCTION = "production", _("Production (approved by the city)")


class KeyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PENDING = "pending", _("Waiting for approval")
    REVOKED = "revoked", _("Revoked")


class ApiKey(models.Model):
    """A key tied to an app (Chicago's model). Only a hash of the key is stored; the key itself
    is shown once, when it is issued."""

    app_name = models.CharField(_("app"), max_length=100)
    contact_email = models.EmailField(_("developer email"))
    app_url = models.URLField(_("app website"), blank=True)
    privacy_policy_url = models.URLField(_("privacy policy"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=KeyKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=KeyStatus.choices)
    prefix = models.CharField(_("key starts with"), max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    can_post_updates = models.BooleanField(
        _("may post status updates"),
        default=False,
        help_text=_("For back-office systems that push servicerequestupdates."),
    )
    posts_per_minute = models.PositiveIntegerField(
        _("submissions per minute"), null=True, blank=True, help_text=_("Empty: the default.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.app_name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.status == KeyStatus.ACTIVE

    @property
    def is_test(self) -> bool:
        return self.kind == KeyKind.TEST


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an Idempotency-Key header, replayed on retries.
    Written in the same transaction as the request it created."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code})"


class RequestToken(models.Model):
    """The Open311 token a batch service answers a POST with (GET tokens/{token})."""

    token = models.CharField(max_length=64, unique=True)
    request = models.OneToOneField(
        "service_requests.ServiceRequest", on_delete=models.CASCADE, related_name="token"
    )

    def __str__(self) -> str:
        return self.token


class ExternalUpdate(models.Model):
    """A status update a back-office system pushed (servicerequestupdates), by its own id, so a
    retried push is answered with the same update instead of being applied twice."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    update_id = models.CharField(max_length=100)
    entry = models.ForeignKey(
        "service_requests.TimelineEntry", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "update_id"], name="external_update_unique"),
        ]

    def __str__(self) -> str:
        return self.update_id
