"""A deployment warning: the webhook SSRF guard is meant to be lifted in development only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


@register()
def check_local_webhooks(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.WEBHOOK_ALLOW_HTTP_LOCAL and not settings.DEBUG:
        return [
            Warning(
                "WEBHOOK_ALLOW_HTTP_LOCAL is on outside DEBUG: apps' webhooks may call plain "
                "http:// on this machine and addresses inside the city's network.",
                hint="Turn it off in production.",
                id="civic311.W101",
            )
        ]
    return []
