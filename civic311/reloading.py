"""Data held in each process and reloaded when the database says it changed.

Boundaries and the service catalogue are read on every submission and change rarely. A process
keeps them, and at most every few seconds asks the database one cheap question (a "stamp": the
newest `updated_at` and the row counts); only a different answer reloads them. An edit in the
admin thus reaches every web process within seconds, without a restart or a shared cache.
"""

from __future__ import annotations

import threading
import time
from typing import Any

RECHECK_SECONDS = 5.0


class ReloadingCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: Any = None
        self._checked_at = 0.0

    def current_stamp(self) -> Any:
        raise NotImplementedError

    def load(self) -> None:
        """Read the data again; runs under the lock."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget what was loaded; the next use reloads (after a change in this process)."""
        with self._lock:
            self._stamp = None

    def ensure_loaded(self) -> None:
        now = time.monotonic()
        if self._stamp is not None and now - self._checked_at < RECHECK_SECONDS:
            return
        with self._lock:
            stamp = self.current_stamp()
            self._checked_at = now
            if stamp == self._stamp:
                return
            self.load()
            self._stamp = stamp
