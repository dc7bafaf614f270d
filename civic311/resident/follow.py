"""Following a request by email, from the tracking page: the one call into notifications."""

from __future__ import annotations

from civic311.notifications import subscriptions
from civic311.service_requests.models import ServiceRequest


def follow_by_email(*, request: ServiceRequest, email: str, language: str) -> None:
    """Subscribe `email` to the request's updates; a confirmation email is sent (through the
    outbox). Raises InvalidInput on a bad address."""
    subscriptions.follow_by_email(request=request, email=email, language=language)
