"""`status__open311="open"` (or "closed"): the statuses of one Open311 side, written into the
SQL text rather than bound as parameters.

Why: SQLite uses a partial index (service_requests/models.py: open requests, and open non-test
requests for the queues) only when the query's own text implies the index's condition, and a
bound parameter (`status IN (?, ?, ?, ?)`, what Django's `__in` writes) does not. Measured at a
million requests: a department with no open request took 400 ms (a full scan) with bound
parameters and 0.2 ms with the statuses written in (docs/query-plans.md). PostgreSQL plans
either form the same way.

Only our own constants reach the SQL: the right-hand side picks one of two fixed tuples of
`Status` values, in the order the indexes' conditions list them (SQLite compares the lists
term by term), and anything else is refused.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Lookup

from civic311.choices import Status

_SIDES = {"open": Status.open_values(), "closed": Status.closed_values()}
# Checked once: an identifier cannot close the quotes it is written between.
assert all(value.isidentifier() for values in _SIDES.values() for value in values)


class Open311Status(Lookup):
    lookup_name = "open311"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        if self.rhs not in _SIDES:
            raise ValueError(f"status__open311 is 'open' or 'closed', not {self.rhs!r}")
        return self.rhs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        listed = ", ".join(f"'{value}'" for value in _SIDES[self.rhs])
        return f"{lhs} IN ({listed})", list(params)


def register(field: CharField) -> None:
    """On the status field alone: no other column holds these values."""
    field.register_lookup(Open311Status)
