"""Print the query plans of the common reads against a database (for docs/query-plans.md).

    DATABASE_URL=sqlite:///bench/var/bench-1000000.sqlite3 .venv/bin/python bench/explain.py

The reads are the ones the test suite checks on every run
(civic311/service_requests/tests/test_query_plans.py); this shows them at scale, with the
planner's statistics of a real-sized table, and times each one.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic311.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from civic311.catalog.models import Service  # noqa: E402
from civic311.service_requests.models import ServiceRequest  # noqa: E402
from civic311.service_requests.tests.test_query_plans import plan, queries  # noqa: E402


def main() -> None:
    service = Service.objects.get(service_name__startswith="Fly Dumping")
    total = ServiceRequest.objects.count()
    print(f"# Query plans at {total:,} requests ({connection.vendor})\n")
    for name, queryset in queries(service).items():
        started = time.perf_counter()
        rows = len(list(queryset))
        took = (time.perf_counter() - started) * 1000
        print(f"## {name}\n\n{rows} rows in {took:.1f} ms\n\n```\n{plan(queryset)}\n```\n")


if __name__ == "__main__":
    main()
