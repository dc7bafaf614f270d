"""The records that make the API's POSTs safe to retry (idempotency keys, batch tokens, pushed
updates by their own id). The API keys themselves are in civic311/apikeys."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an Idempotency-Key header, replayed on retries.
    Written in the same transaction as the request it created."""

    api_key = models.ForeignKey("apikeys.ApiKey", on_delete=models.CASCADE, related_name="+")
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

    api_key = models.ForeignKey("apikeys.ApiKey", on_delete=models.CASCADE, related_name="+")
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
