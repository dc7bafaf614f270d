"""The one seam between Civic311 and an SMS provider.

A provider turns its webhook into an `Inbound` (after checking the request really comes from
it), renders the synchronous reply, sends a message through its REST API and fetches an MMS
photo. Twilio is the one adapter so far (twilio.py); another provider is a class with the
same four methods, named by SMS_PROVIDER. Tests replace what crosses the internet by pointing
the adapter's base URL at a local HTTP server, never by replacing this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class Media:
    url: str
    content_type: str


@dataclass(frozen=True)
class Inbound:
    sid: str  # the provider's message id: the idempotency key
    sender: str  # E.164, "+13125550100"
    to: str
    body: str
    media: tuple[Media, ...] = field(default_factory=tuple)


class SendError(Exception):
    """The provider did not take the message."""

    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary


class Provider(Protocol):
    def verify(self, request: HttpRequest) -> bool:
        """Whether the webhook request was signed by the provider with our credentials."""
        ...

    def parse(self, request: HttpRequest) -> Inbound | None:
        """The message a verified webhook request carries; None when it carries none."""
        ...

    def reply(self, texts: Sequence[str]) -> HttpResponse:
        """The synchronous answer to the webhook: these texts back to the sender (none: none)."""
        ...

    def send(self, *, to: str, body: str) -> str:
        """Send one text; returns the provider's message id. Raises SendError."""
        ...

    def fetch_media(self, url: str) -> tuple[bytes, str]:
        """An MMS attachment's bytes and content type. Raises SendError on failure."""
        ...


def get_provider() -> Provider:
    name = settings.SMS_PROVIDER
    if name == "twilio":
        from civic311.messaging.twilio import TwilioProvider

        return TwilioProvider.from_settings()
    raise ImproperlyConfigured(f"SMS_PROVIDER={name!r} is not known; use twilio.")
