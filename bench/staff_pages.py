"""Benchmark the call-center desk and the ward office view the way they run in production,
side by side with a ceiling: bench/run.py (gunicorn production configuration, wrk, same-run
ceiling) with `--url` paths and a staff session cookie (`--header`).

    python bench/staff_pages.py                          # bench/var/bench-1000000.sqlite3
    python bench/staff_pages.py --count 100000 --duration 10

The database is run.py's (build it with `python bench/run.py --count N` first, or copy one
there); this script migrates it, loads the demo city's catalogue and demo staff users
(`load_demo_city --sample 0`), and, once, gives 30% of the requests a reporter's phone number
(10,000 distinct numbers, so a caller has ~30 requests: a heavy repeat caller) so that the
phone lookup reads a realistic index. SQLite only. It logs in as the demo `operator`, who may
use the desk and read every ward.

Scenarios, values read from the database:

- desk_number: `/staff/desk/?q=<a recent tracking number>`
- desk_address: `/staff/desk/?q=<the address of a recent request in the busiest H3 cell>`
  (requests at it, and open ones of any service within 150 m)
- desk_phone: `/staff/desk/?q=<a caller's phone, typed 312-555-0123>`
- ward_open: `/staff/ward/<busiest ward>/` (open requests of the last year, 100)
- ward_all: `/staff/ward/<busiest ward>/?status=all&period=365` (the year, 100)
- ward_csv: `/staff/ward/<busiest ward>/requests.csv?status=all&period=90` (streamed)
- ward_csv_open: `/staff/ward/<busiest ward>/requests.csv` (open ones, streamed)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import run  # noqa: E402 (bench/run.py: the environment and the runner)
from staff_queue import run_logged_in, session_key_for  # noqa: E402

BENCH_USER = "operator"  # a demo user (civic311/democity/staff.py): the desk and every ward


def add_phones() -> None:
    """30% of requests get a reporter's phone, once (raw SQL: an importer of history, like
    generate.py, outside the one write path)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM service_requests_reportercontact")
        if cursor.fetchone()[0]:
            return
        run.say("setup: giving 30% of requests a reporter's phone (10,000 distinct numbers)")
        cursor.execute(
            "INSERT INTO service_requests_reportercontact "
            "(request_id, first_name, last_name, email, phone, device_id, account_id, language) "
            "SELECT id, '', '', '', '312555' || substr('0000' || (id % 10000), -4), '', '', '' "
            "FROM service_requests_servicerequest WHERE id % 10 < 3"
        )
        cursor.execute("ANALYZE service_requests_reportercontact")


def paths() -> list[str]:
    """The scenarios' paths, with values read from the database."""
    from django.db.models import Count
    from django.utils import timezone

    from civic311.geo.geocoders import get_geocoder
    from civic311.service_requests.models import ReporterContact, ServiceRequest

    now = timezone.now()
    recent = ServiceRequest.objects.filter(
        is_test=False, requested_at__gte=now - timedelta(days=90)
    )
    ward = (
        ServiceRequest.objects.filter(requested_at__gte=now - timedelta(days=365))
        .values("ward")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    busy_ward = quote(ward["ward"] if ward else "1")
    number = recent.order_by("-requested_at").values_list("tracking_number", flat=True)[100]
    cell = recent.values("h3_r9").annotate(n=Count("id")).order_by("-n").first()
    geocoder = get_geocoder()
    address = next(
        (
            candidate
            for candidate in recent.filter(h3_r9=cell["h3_r9"] if cell else "")
            .exclude(address="")
            .values_list("address", flat=True)[:50]
            if geocoder.geocode(candidate) is not None
        ),
        "none",
    )
    phone = ReporterContact.objects.order_by("-request_id").values_list("phone", flat=True)[0]
    return [
        f"/staff/desk/?q={number}",
        f"/staff/desk/?q={quote(address)}",
        f"/staff/desk/?q={phone[:3]}-{phone[3:6]}-{phone[6:]}",
        f"/staff/ward/{busy_ward}/",
        f"/staff/ward/{busy_ward}/?status=all&period=365",
        f"/staff/ward/{busy_ward}/requests.csv",
        f"/staff/ward/{busy_ward}/requests.csv?status=all&period=90",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="the run.py database to use")
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (run.py's)")
    args = parser.parse_args(argv)

    database = run.VAR_DIR / f"bench-{args.count}.sqlite3"
    if not database.exists():
        raise SystemExit(f"{database} is missing: run `python bench/run.py --count {args.count}`")
    url = f"sqlite:///{database}"
    env = run.bench_env(url, secret_key=run.secret_key())
    python = sys.executable
    run.run_command([python, "manage.py", "migrate", "--noinput", "-v0"], env=env, timeout=3600)
    run.run_command([python, "manage.py", "load_demo_city", "--sample", "0"], env=env, timeout=600)
    run.django_setup(env)
    from django.contrib.auth import get_user_model
    from django.db import connection

    try:
        add_phones()
        key = session_key_for(get_user_model().objects.get(username=BENCH_USER))
        targets = paths()
    finally:
        connection.close()
    return run_logged_in(url=url, session_key=key, paths=targets, args=args)


if __name__ == "__main__":
    sys.exit(main())
