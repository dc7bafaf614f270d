"""The API key of an app. Rows are written by apikeys/actions.py only."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic311.choices import KeyKind, KeyStatus


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
