"""Benchmark the staff work queue with a department holding 100,000 open requests.

    python bench/staff_queue.py --database bench/var/staff-queue.sqlite3 \\
        --source /path/to/bench-1000000.sqlite3 --duration 15

1. The database: a copy of a bench database (`--source`, made by bench/run.py or
   bench/generate.py; copied once, never modified) at `--database`, migrated.
2. The department (`--department`, default: the one with the most requests) is topped up to
   `--open` open requests: closed requests of the last years (its own first, then other
   departments') are opened again in place (open, acknowledged, in progress, scheduled; their
   SLA due time kept, so most of an old backlog is overdue, as it would be). This writes the
   bench copy directly, not through the actions: it makes a backlog, it does not measure one.
   Then ANALYZE, as bench/generate.py does.
3. A supervisor of the department and a logged-in session for them.
4. bench/run.py against that database with the session cookie: the queue's default view and
   filtered and sorted views, each beside its same-run ceiling.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(REPO_DIR))

import run  # noqa: E402 (bench/run.py: the same environment, key and runner)


def say(text: str) -> None:
    print(text, flush=True)


def prepare(*, department: str, wanted: int) -> tuple[str, str]:
    """Top the department up to `wanted` open requests; return its code and the busiest ward."""
    from django.db import connection
    from django.db.models import Count

    from civic311.choices import Status
    from civic311.departments.models import Department
    from civic311.service_requests.models import ServiceRequest
    from civic311.service_requests.selectors import only_open

    if department:
        chosen = Department.objects.get(code=department)
    else:
        busiest = (
            ServiceRequest.objects.values("department")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        assert busiest is not None, "the database holds no requests"
        chosen = Department.objects.get(pk=busiest["department"])
    open_now = only_open(ServiceRequest.objects.filter(department=chosen, is_test=False)).count()
    say(f"department: {chosen.name} ({chosen.code}), {open_now:,} open requests")
    missing = wanted - open_now
    if missing > 0:
        started = time.monotonic()
        table = ServiceRequest._meta.db_table
        reopenable = (Status.CLOSED_FIXED, Status.CLOSED_NOT_FIXED, Status.CLOSED_REFERRED)
        marks = ", ".join("%s" for _ in reopenable)
        with connection.cursor() as cursor:
            # Its own closed requests first, then other departments', newest first.
            cursor.execute(
                f"""
                UPDATE "{table}" SET
                    status = CASE id % 20
                        WHEN 19 THEN 'scheduled'
                        WHEN 18 THEN 'in_progress' WHEN 17 THEN 'in_progress'
                        WHEN 16 THEN 'acknowledged' WHEN 15 THEN 'acknowledged'
                        WHEN 14 THEN 'acknowledged' WHEN 13 THEN 'acknowledged'
                        WHEN 12 THEN 'acknowledged'
                        ELSE 'open' END,
                    closed_at = NULL,
                    department_id = %s
                WHERE id IN (
                    SELECT id FROM "{table}"
                    WHERE status IN ({marks}) AND NOT is_test
                    ORDER BY department_id = %s DESC, requested_at DESC
                    LIMIT %s
                )
                """,
                [chosen.pk, *reopenable, chosen.pk, missing],
            )
            say(f"topped up: {cursor.rowcount:,} requests opened in {chosen.code}")
            cursor.execute("ANALYZE")
        say(f"  in {time.monotonic() - started:.0f}s")
    ward = (
        only_open(ServiceRequest.objects.filter(department=chosen, is_test=False))
        .exclude(ward="")
        .values("ward")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return chosen.code, ward["ward"] if ward else ""


def supervisor_session(department: str) -> str:
    """A supervisor of the department, logged in: the session key for the cookie."""
    from django.contrib.auth import get_user_model

    from civic311.choices import Role
    from civic311.departments.models import Department, Membership

    user, _ = get_user_model().objects.get_or_create(
        username="bench_supervisor", defaults={"first_name": "Bench", "is_staff": True}
    )
    Membership.objects.update_or_create(
        user=user,
        defaults={
            "role": Role.SUPERVISOR,
            "department": Department.objects.get(code=department),
            "ward": "",
        },
    )
    return session_key_for(user)


def session_key_for(user: Any) -> str:
    """A logged-in session for `user`, as a login makes one (the idle clock started)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from civic311.staff.login import LAST_SEEN

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[LAST_SEEN] = int(time.time())
    session.create()
    assert session.session_key is not None
    return session.session_key


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, type=Path, help="the bench copy (SQLite)")
    parser.add_argument(
        "--source", type=Path, help="a bench database to copy when --database does not exist"
    )
    parser.add_argument("--department", default="", help="department code (default: busiest)")
    parser.add_argument("--open", type=int, default=100_000, help="open requests (100,000)")
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (run.py's)")
    args = parser.parse_args()

    database = args.database.resolve()
    if not database.exists():
        if args.source is None:
            parser.error(f"{database} does not exist: name a --source to copy")
        say(f"copying {args.source} to {database}")
        shutil.copyfile(args.source, database)
    url = f"sqlite:///{database}"
    run.VAR_DIR.mkdir(exist_ok=True)
    env = run.bench_env(url, secret_key=run.secret_key())
    say("migrating the copy")
    run.run_command(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env=env, timeout=3600
    )
    run.django_setup(env)
    department, ward = prepare(department=args.department, wanted=args.open)
    key = supervisor_session(department)

    paths = [
        "/staff/queue/",
        "/staff/queue/?sort=due",
        "/staff/queue/?sla=overdue&sort=priority",
        f"/staff/queue/?status=open&ward={ward}&sort=newest",
        "/staff/queue/?page=1000",
    ]
    return run_logged_in(url=url, session_key=key, paths=paths, args=args)


def run_logged_in(*, url: str, session_key: str, paths: list[str], args: Any) -> int:
    """bench/run.py on `paths` only, with the session's cookie (`args`: duration, warmup,
    connections, workers)."""
    command = [
        sys.executable,
        str(BENCH_DIR / "run.py"),
        "--database-url",
        url,
        "--skip-generate",
        "--only",
        "url",
        "--duration",
        str(args.duration),
        "--warmup",
        str(args.warmup),
        "--connections",
        str(args.connections),
        "--header",
        f"Cookie: sessionid={session_key}",
    ]
    if args.workers:
        command += ["--workers", str(args.workers)]
    for path in paths:
        command += ["--url", path]
    say(
        "running: "
        + " ".join(c if "sessionid" not in c else "'Cookie: sessionid=…'" for c in command)
    )
    return subprocess.call(command, cwd=REPO_DIR)


if __name__ == "__main__":
    sys.exit(main())
