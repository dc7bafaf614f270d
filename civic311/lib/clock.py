"""The time actions record. Importers and the demo city replay history through the same actions
by setting the clock (`with clock.at(moment): ...`); live channels never touch it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_override: ContextVar[datetime | None] = ContextVar("civic311_clock", default=None)


def now() -> datetime:
    return _override.get() or timezone.now()


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("the clock needs an aware datetime")
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
