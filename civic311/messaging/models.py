"""Text messages: one row per phone number that has written to us (its dialog and opt-out), and
every message in and out (the idempotency record, and the transcript staff read). Their indexes
keep the names given when these models lived in the SMS app.

The phone number is personal data: it is shown to staff only, never on a public page.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic311.choices import SmsDialogState as DialogState
from civic311.choices import SmsDirection as Direction


class Phone(models.Model):
    number = models.CharField(_("phone number"), max_length=32, unique=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    # STOP: nothing is sent to this number, dialog replies included, until it sends START.
    opted_out_at = models.DateTimeField(_("opted out"), null=True, blank=True)
    state = models.CharField(
        _("dialog state"), max_length=16, choices=DialogState.choices, default=DialogState.IDLE
    )
    # What the dialog collected so far (service, place, answers, photos, language).
    data = models.JSONField(_("dialog data"), default=dict, blank=True)
    # When the state last changed: a dialog left alone past SMS_DIALOG_TIMEOUT_MINUTES ends.
    state_at = models.DateTimeField(_("state since"), default=timezone.now)
    # Increases with every report dialog started: its messages become the request's transcript.
    dialog = models.PositiveIntegerField(_("dialog"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return f"phone {self.pk}"


class Message(models.Model):
    phone = models.ForeignKey(
        Phone, on_delete=models.CASCADE, related_name="messages", verbose_name=_("phone")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    body = models.TextField(_("text"), blank=True)
    # The provider's id of an inbound message (Twilio's MessageSid): a provider that posts the
    # same message again gets the same reply, and nothing happens twice.
    provider_sid = models.CharField(_("provider id"), max_length=64, blank=True)
    media = models.JSONField(_("media"), default=list, blank=True)
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    dialog = models.PositiveIntegerField(_("dialog"), default=0)
    request = models.ForeignKey(
        "service_requests.ServiceRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("request"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_sid"],
                condition=~models.Q(provider_sid=""),
                name="sms_message_provider_sid",
            ),
        ]
        indexes = [
            models.Index(fields=["request", "at"], name="sms_message_request_at"),
            models.Index(fields=["phone", "dialog"], name="sms_message_phone_dialog"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} message {self.pk}"
