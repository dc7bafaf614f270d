"""Template helpers of the desk and the ward view: the user's role, and where a request opens."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from civic311.service_requests import permissions
from civic311.service_requests.permissions import StaffRole

register = template.Library()


@register.simple_tag(takes_context=True)
def console_role(context: dict[str, Any]) -> StaffRole | None:
    request = context.get("request")
    return permissions.role_of(request.user) if request is not None else None


@register.simple_tag
def request_url(number: str) -> str:
    """The console's page of a request."""
    return reverse("staff:request", kwargs={"number": number})
