"""Fan-out of timeline events to the channels that act on them (email, SMS, webhooks).

A channel registers a handler; the worker calls every handler for every event. Handlers must be
idempotent: a task runs at least once, so a handler records what it sent per recipient and event
and does not send it again.
"""

from __future__ import annotations

from collections.abc import Callable

from civic311.service_requests.models import TimelineEntry

Handler = Callable[[TimelineEntry], None]
_handlers: dict[str, Handler] = {}


def register(name: str) -> Callable[[Handler], Handler]:
    def decorator(handler: Handler) -> Handler:
        _handlers[name] = handler
        return handler

    return decorator


def handlers() -> dict[str, Handler]:
    return dict(_handlers)
