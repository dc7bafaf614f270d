"""System checks for notification settings (stable ids: civic311.notifications.E001…)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from civic311.choices import Status


@register()
def check_notify_status_changes(**kwargs: Any) -> list[CheckMessage]:
    unknown = [s for s in settings.NOTIFY_STATUS_CHANGES if s not in Status.open_values()]
    if not unknown:
        return []
    return [
        Error(
            f"NOTIFY_STATUS_CHANGES names {', '.join(unknown)}, which are not open statuses.",
            hint="Use some of: " + ", ".join(Status.open_values()),
            id="civic311.notifications.E001",
        )
    ]
