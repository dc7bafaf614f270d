"""Domain errors. Every problem found is reported at once; nothing is stored when one is raised."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what was sent.

    `code` is a stable machine identifier (`service_code.unknown`, `attribute.required`, …),
    `field` names the input it concerns (`lat`, `attribute[depth]`, `email`), and `message` is a
    translated sentence a person can act on.
    """

    code: str
    field: str
    message: str


class DomainError(Exception):
    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("a DomainError needs at least one problem")
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in self.problems))


class InvalidInput(DomainError):
    """What was sent cannot be accepted (a 400 in the API)."""


class NotFound(DomainError):
    """What was named does not exist (a 404 in the API)."""


class NotPermitted(DomainError):
    """The actor may not do this (a 403 in the API)."""


class Unavailable(DomainError):
    """A service the action depends on (e.g. an HTTP geocoder) failed; try again later."""
