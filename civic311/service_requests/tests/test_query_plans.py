"""The data model is built for 10 million requests: the common reads use an index, never a
full scan of the request table. Checked on the database the suite runs on (SQLite and, in CI,
PostgreSQL). Plans at scale are in docs/query-plans.md."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from civic311.catalog.models import Service
from civic311.geo import cells
from civic311.lib.paging import beyond
from civic311.service_requests.models import ServiceRequest, TimelineEntry
from civic311.service_requests.selectors import only_closed, only_open
from civic311.testing import Services

pytestmark = pytest.mark.django_db
TABLE = ServiceRequest._meta.db_table
NEWEST_KEYS = [("requested_at", True), ("id", True)]
OLDEST_KEYS = [("requested_at", False), ("id", False)]


def plan(queryset: QuerySet[ServiceRequest] | QuerySet[TimelineEntry]) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Tables in a test are tiny, where a sequential scan is rightly cheapest; forbid it
            # to see whether an index can serve the query at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def assert_uses_an_index(text: str, table: str = TABLE) -> None:
    if connection.vendor == "postgresql":
        assert f"Seq Scan on {table}" not in text, text
    else:
        full_scans = [
            line for line in text.splitlines() if f"SCAN {table}" in line and "INDEX" not in line
        ]
        assert not full_scans, text


def recent() -> object:
    return timezone.now() - timedelta(days=90)


def queries(service: Service) -> dict[str, QuerySet[ServiceRequest]]:
    ring = cells.disk(41.88, -87.65, 100)
    base = ServiceRequest.objects.all()
    return {
        "by service, status and date": only_open(
            base.filter(service=service, requested_at__gte=recent())
        ).order_by("-requested_at")[:50],
        "by status and date": only_closed(base.filter(requested_at__gte=recent())).order_by(
            "-requested_at"
        )[:50],
        "by date (Open311 default)": base.filter(requested_at__gte=recent()).order_by(
            "-requested_at"
        )[:1000],
        "by ward": base.filter(ward="1").order_by("-requested_at")[:50],
        "by community area": base.filter(community_area="28").order_by("-requested_at")[:50],
        "by updated time": base.filter(updated_at__gte=recent()).order_by("updated_at")[:50],
        # As the work queue reads it (staff/queue.py): test requests are never queued.
        "department queue": only_open(
            base.filter(department_id=service.department_id, is_test=False)
        ).order_by("requested_at")[:50],
        "nearby, same service, open": only_open(base.filter(h3_r9__in=ring.cells, service=service)),
        "by tracking number": base.filter(tracking_number="26-00000001"),
        # A page after the first, as the keyset pager reads it (lib/paging.py): from the last
        # row of the page before, through the same index.
        "by date, a page on": base.filter(requested_at__gte=recent())
        .filter(beyond(NEWEST_KEYS, [timezone.now() - timedelta(days=30), 10**9], forward=True))
        .order_by("-requested_at", "-id")[:50],
        "department queue, a page on": only_open(
            base.filter(department_id=service.department_id, is_test=False)
        )
        .filter(beyond(OLDEST_KEYS, [recent(), 1], forward=True))
        .order_by("requested_at", "id")[:50],
        "by ward, open, a page on": only_open(base.filter(ward="1", is_test=False))
        .filter(beyond(NEWEST_KEYS, [timezone.now(), 10**9], forward=True))
        .order_by("-requested_at", "-id")[:50],
    }


@pytest.mark.parametrize(
    "name",
    [
        "by service, status and date",
        "by status and date",
        "by date (Open311 default)",
        "by ward",
        "by community area",
        "by updated time",
        "department queue",
        "nearby, same service, open",
        "by tracking number",
        "by date, a page on",
        "department queue, a page on",
        "by ward, open, a page on",
    ],
)
def test_the_common_reads_use_an_index(services: Services, name: str) -> None:
    assert_uses_an_index(plan(queries(services.pothole)[name]))


def test_a_requests_timeline_uses_an_index(services: Services) -> None:
    qs = TimelineEntry.objects.filter(request_id=1).order_by("at", "id")
    assert_uses_an_index(plan(qs), TimelineEntry._meta.db_table)


def test_open_requests_are_read_through_their_partial_indexes(services: Services) -> None:
    """Bound parameters would hide the partial index from SQLite (see selectors.only_open)."""
    for name, index in (
        ("department queue", "sr_open_department_queue"),
        ("department queue, a page on", "sr_open_department_queue"),
        ("by ward, open, a page on", "sr_open_ward_requested"),
    ):
        text = plan(queries(services.pothole)[name])
        if connection.vendor == "sqlite":
            assert index in text, text
        else:
            assert "Seq Scan" not in text, text
