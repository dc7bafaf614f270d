"""Fixtures of the webhook tests: the app's receiving server, the app developers' keys, and
settings that let a webhook call this machine."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from django.core.cache import cache

from civic311.webhooks.tests.support import Receiver, handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(state))
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _webhook_settings(settings: Any) -> None:
    """Local receivers allowed, retries at once (a test says so when it wants the real
    schedule), and fresh rate-limit counters."""
    settings.WEBHOOK_ALLOW_HTTP_LOCAL = True
    settings.WEBHOOK_RETRY_SECONDS = [0, 0]
    settings.WEBHOOK_TIMEOUT_SECONDS = 2.0
    cache.clear()
