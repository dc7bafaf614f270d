"""Benchmark the call-center desk and the ward office view the way they run in production,
side by side with a ceiling, with run.py's machinery (gunicorn production configuration, wrk,
same-run ceiling), logged in: wrk sends a staff session cookie.

    python bench/staff_pages.py                          # bench/var/bench-1000000.sqlite3
    python bench/staff_pages.py --count 100000 --duration 10

The database is run.py's (build it with `python bench/run.py --count N` first, or copy one
there); this script migrates it, loads the demo city's catalogue and demo staff users
(`load_demo_city --sample 0`), and, once, gives 30% of the requests a reporter's phone number
(10,000 distinct numbers, so a caller has ~30 requests: a heavy repeat caller) so that the
phone lookup reads a realistic index. SQLite only.

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
import base64
import json
import os
import signal
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run
from run import CHILDREN, HOST, Row, Scenario, say

BENCH_USER = "operator"  # a demo user (civic311/democity/staff.py): the desk and every ward


def add_phones() -> None:
    """30% of requests get a reporter's phone, once (raw SQL: an importer of history, like
    generate.py, outside the one write path)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM service_requests_reportercontact")
        if cursor.fetchone()[0]:
            return
        say("setup: giving 30% of requests a reporter's phone (10,000 distinct numbers)")
        cursor.execute(
            "INSERT INTO service_requests_reportercontact "
            "(request_id, first_name, last_name, email, phone, device_id, account_id, language) "
            "SELECT id, '', '', '', '312555' || substr('0000' || (id % 10000), -4), '', '', '' "
            "FROM service_requests_servicerequest WHERE id % 10 < 3"
        )
    connection.close()


def session_cookie(username: str) -> str:
    """A logged-in session for `username`, made the way django.contrib.auth.login makes one."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    try:
        user = get_user_model().objects.get(username=username)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    finally:
        connection.close()


def build_scenarios() -> list[Scenario]:
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from civic311.geo.geocoders import get_geocoder
    from civic311.service_requests.models import ReporterContact, ServiceRequest

    now = timezone.now()
    try:
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
        busy_ward = ward["ward"] if ward else "1"
        number = recent.order_by("-requested_at").values_list("tracking_number", flat=True)[100]
        cell = recent.values("h3_r9").annotate(n=Count("id")).order_by("-n").first()
        address = ""
        geocoder = get_geocoder()
        for candidate in (
            recent.filter(h3_r9=cell["h3_r9"] if cell else "")
            .exclude(address="")
            .values_list("address", flat=True)[:50]
        ):
            if geocoder.geocode(candidate) is not None:
                address = candidate
                break
        phone = (
            ReporterContact.objects.filter(request__in=recent.order_by("-requested_at")[:1])
            .values_list("phone", flat=True)
            .first()
        ) or ReporterContact.objects.values_list("phone", flat=True).first()
    finally:
        connection.close()
    typed_phone = f"{phone[:3]}-{phone[3:6]}-{phone[6:]}" if phone else "312-555-0000"
    ward_path = f"/staff/ward/{quote(busy_ward)}"
    return [
        Scenario("desk_number", "desk: tracking number", "GET", f"/staff/desk/?q={number}"),
        Scenario(
            "desk_address", "desk: address", "GET", f"/staff/desk/?q={quote(address or 'none')}"
        ),
        Scenario("desk_phone", "desk: phone number", "GET", f"/staff/desk/?q={typed_phone}"),
        Scenario("ward_open", f"ward {busy_ward}: open, 100", "GET", f"{ward_path}/"),
        Scenario(
            "ward_all",
            f"ward {busy_ward}: all of the year, 100",
            "GET",
            f"{ward_path}/?status=all&period=365",
        ),
        Scenario(
            "ward_csv",
            f"ward {busy_ward}: CSV, all of 90 days",
            "GET",
            f"{ward_path}/requests.csv?status=all&period=90",
        ),
        Scenario(
            "ward_csv_open", f"ward {busy_ward}: CSV, open", "GET", f"{ward_path}/requests.csv"
        ),
    ]


def fetch(port: int, scenario: Scenario, cookie: str) -> run.Fetched:
    request = urllib.request.Request(f"http://{HOST}:{port}{scenario.target}")
    request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return run.Fetched(response.status, list(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return run.Fetched(error.code, list(error.headers.items()), error.read())


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| scenario | requests/s | p50 ms | p95 ms | p99 ms | non-2xx | errors | bytes "
        "| ceiling requests/s | ceiling p99 ms | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    n = run._n
    for row in rows:
        s, r, c = row.scenario, row.real, row.ceiling
        if s.skipped or r is None:
            lines.append(f"| {s.title} | skipped: {s.skipped} | | | | | | | | | |")
            continue
        lines.append(
            f"| {s.title} | {n(r.rps)} | {n(r.p50_ms, 1)} | {n(r.p95_ms, 1)} | {n(r.p99_ms, 1)} "
            f"| {r.non2xx} | {r.errors} | {s.response_bytes:,} | {n(c.rps if c else None)} "
            f"| {n(c.p99_ms if c else None, 1)} | {n(row.ratio, 2) if row.ratio else '-'} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="the run.py database to use")
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--only", action="append", default=[], help="scenario names")
    parser.add_argument("--no-ceiling", action="store_true")
    args = parser.parse_args(argv)

    run.VAR_DIR.mkdir(exist_ok=True)
    (run.VAR_DIR / "logs").mkdir(exist_ok=True)
    run.RESULTS_DIR.mkdir(exist_ok=True)
    database = run.VAR_DIR / f"bench-{args.count}.sqlite3"
    if not database.exists():
        raise SystemExit(f"{database} is missing: run `python bench/run.py --count {args.count}`")
    python = sys.executable
    env = run.bench_env(f"sqlite:///{database}", secret_key=run.secret_key())
    signal.signal(signal.SIGINT, run._on_signal)
    signal.signal(signal.SIGTERM, run._on_signal)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    rows: list[Row] = []
    try:
        run.django_setup(env)
        run.prepare_database(count=args.count, env=env, skip_generate=True, python=python)
        add_phones()
        cookie = session_cookie(BENCH_USER)
        scenarios = build_scenarios()
        if args.only:
            scenarios = [s for s in scenarios if s.name in args.only]
        stored = run.stored_requests()
        size = run.database_size()

        port = run.free_port()
        log = run.VAR_DIR / "logs" / f"staff-{stamp}.log"
        server_env = dict(env, WEB_WORKERS=str(args.workers))
        server = CHILDREN.start(
            run.gunicorn_args(
                python=python, app="civic311.wsgi:application", port=port, workers=args.workers
            ),
            env=server_env,
            log=log,
        )
        run.wait_until_up(port, server, log)
        recorded: list[dict[str, Any]] = []
        for scenario in scenarios:
            got = fetch(port, scenario, cookie)
            scenario.status, scenario.response_bytes = got.status, len(got.body)
            if got.status != 200:
                scenario.skipped = f"HTTP {got.status}"
                say(f"  {scenario.name}: {scenario.skipped}")
                continue
            recorded.append(
                {
                    "method": "GET",
                    "target": scenario.target,
                    "status": got.status,
                    "headers": [
                        [k, v] for k, v in got.headers if k.lower() not in run._NOT_REPLAYED
                    ],
                    "body": base64.b64encode(got.body).decode("ascii"),
                }
            )
            say(f"  {scenario.name}: {scenario.target[:90]} -> {len(got.body):,} bytes")
        ceiling_port = 0
        if not args.no_ceiling and recorded:
            manifest = run.VAR_DIR / f"ceiling-staff-{stamp}.json"
            manifest.write_text(json.dumps({"responses": recorded}))
            ceiling_port = run.free_port()
            ceiling_log = run.VAR_DIR / "logs" / f"ceiling-staff-{stamp}.log"
            ceiling = CHILDREN.start(
                [
                    *run.gunicorn_args(
                        python=python,
                        app="ceiling:application",
                        port=ceiling_port,
                        workers=args.workers,
                    ),
                    "--pythonpath",
                    str(run.BENCH_DIR),
                ],
                env=dict(server_env, CEILING_MANIFEST=str(manifest)),
                log=ceiling_log,
            )
            run.wait_until_up(ceiling_port, ceiling, ceiling_log)

        lua_dir = run.VAR_DIR / "lua"
        lua_dir.mkdir(exist_ok=True)
        for scenario in scenarios:
            row = Row(scenario)
            rows.append(row)
            if scenario.skipped:
                continue
            script = lua_dir / f"staff-{scenario.name}.lua"
            script.write_text(
                f'wrk.headers["Cookie"] = {run._lua_string(cookie)}\n' + run._LUA_COMMON
            )
            for label, target_port in [("civic311", port)] + (
                [("ceiling", ceiling_port)] if ceiling_port else []
            ):
                common = {
                    "port": target_port,
                    "scenario": scenario,
                    "connections": args.connections,
                    "threads": args.threads,
                    "script": script,
                }
                if args.warmup > 0:
                    run.run_wrk(duration=args.warmup, **common)  # type: ignore[arg-type]
                measured = run.run_wrk(duration=args.duration, **common)  # type: ignore[arg-type]
                setattr(row, "real" if label == "civic311" else "ceiling", measured)
                say(
                    f"  {scenario.name:<14} {label:<8} {measured.rps:>8,.0f} req/s  "
                    f"p50 {measured.p50_ms:7.1f}  p95 {measured.p95_ms:7.1f}  "
                    f"p99 {measured.p99_ms:7.1f} ms  non-2xx {measured.non2xx}"
                )
    finally:
        CHILDREN.stop_all()

    report = "\n".join(
        [
            f"# Civic311 staff pages benchmark, {stamp}",
            "",
            f"- machine: {run.machine()}; load generator on the same machine",
            f"- commit: {run.commit()}",
            f"- database: {size}, {stored:,} stored requests",
            f"- server: gunicorn, {args.workers} sync workers, production configuration, DEBUG off",
            f"- load: wrk, {args.threads} threads, {args.connections} connections, "
            f"{args.duration:g} s after {args.warmup:g} s of warm-up, logged in as {BENCH_USER}",
            "",
            table(rows),
            "",
            "Targets:",
            "",
            *[f"- `GET {row.scenario.target}`" for row in rows],
        ]
    )
    say("\n" + report)
    out = run.RESULTS_DIR / f"staff-{stamp}.md"
    out.write_text(report + "\n")
    say(f"\nsaved: {out.relative_to(run.REPO_DIR)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        CHILDREN.stop_all()
        print("\ninterrupted; servers stopped", file=sys.stderr)
        sys.exit(130)
