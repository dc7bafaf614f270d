from __future__ import annotations

import logging

from django_tasks import task

from civic311.notifications import dispatch
from civic311.service_requests.models import TimelineEntry

log = logging.getLogger(__name__)


@task(queue_name="notifications")
def dispatch_event(entry_id: int) -> list[str]:
    """Hand one timeline entry to every registered channel; returns the channels that ran."""
    entry = (
        TimelineEntry.objects.select_related("request", "request__service")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        # The request was deleted since (e.g. spam removed by an administrator).
        log.info("timeline entry %s no longer exists; nothing to dispatch", entry_id)
        return []
    ran = []
    for name, handler in dispatch.handlers().items():
        handler(entry)
        ran.append(name)
    return ran
