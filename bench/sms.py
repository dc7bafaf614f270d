"""Benchmark the SMS webhook the way it runs in production: how long one inbound text takes.

    python bench/sms.py                         # a copy of the 1,000,000-request database
    python bench/sms.py --source bench/var/bench-100000.sqlite3 --duration 10

1. A copy of a bench database (--source, default /work/benchdb/bench-1000000.sqlite3 or
   bench/var/bench-1000000.sqlite3), migrated; the original is never touched.
2. Civic311 under gunicorn with the production configuration, DEBUG off, SMS on, a bench
   auth token; every message is signed exactly as Twilio signs it.
3. Status queries ("STATUS 26-…", typed sloppily, for real stored requests, from 2,000 phone
   numbers, every one a new MessageSid: nothing is a replay) under wrk, with the same-run
   ceiling (bench/ceiling.py answering the recorded TwiML bytes).
4. Whole reports: --phones concurrent phones, each texting a complete 5-message report
   ("tree needs trimming at <address>", YES, answer, answer, description) again and again for
   --duration seconds, over keep-alive connections; latency per message and per report.
5. A markdown table on stdout and in bench/results/sms-<time>.md.
"""

from __future__ import annotations

import argparse
import atexit
import base64
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as base

HOST = base.HOST
TOKEN = "bench-auth-token-0123456789abcdef"
ACCOUNT = "AC" + "b" * 32
CITY = "+13125550311"
STATUS_BODIES = 40_000
DEFAULT_SOURCES = [
    Path("/work/benchdb/bench-1000000.sqlite3"),
    base.VAR_DIR / "bench-1000000.sqlite3",
]


def say(text: str) -> None:
    base.say(text)


# --- Signed messages ----------------------------------------------------------------------------


def signed(url: str, number: str, body: str, sid: str) -> tuple[str, str]:
    """(form body, X-Twilio-Signature) of one inbound text, as Twilio posts it."""
    from civic311.messaging.twilio import signature

    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": ACCOUNT,
        "From": number,
        "To": CITY,
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
        "ApiVersion": "2010-04-01",
    }
    return urlencode(params), signature(TOKEN, url, params.items())


def post(connection: http.client.HTTPConnection, form: str, sig: str) -> http.client.HTTPResponse:
    connection.request(
        "POST",
        "/sms/inbound",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig},
    )
    return connection.getresponse()


def sloppy(number: str, rng: random.Random) -> str:
    year, serial = number.split("-")
    return rng.choice(
        [
            f"STATUS {number}",
            f"status {year} {int(serial)}",
            f"  Status: #{number} ",
            f"{year}{serial}",
            f"estado {number}",
            number,
        ]
    )


def status_lua(url: str, numbers: list[str], threads: int, rng: random.Random) -> str:
    """wrk script: every request a new signed status query; threads take disjoint messages."""
    phones = [f"+1312{n:07d}" for n in rng.sample(range(10**6, 10**7), 2000)]
    bodies, sigs = [], []
    for i in range(STATUS_BODIES):
        form, sig = signed(
            url, rng.choice(phones), sloppy(rng.choice(numbers), rng), f"SMb{i:030d}"
        )
        bodies.append(base._lua_string(form))
        sigs.append(base._lua_string(sig))
    return (
        base._LUA_COMMON
        + f"""
local bodies = {{ {", ".join(bodies)} }}
local sigs = {{ {", ".join(sigs)} }}
local nthreads = {threads}
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end
function init(args)
  non2xx = 0
  sent = 0
  wrapped = 0
end
function request()
  local i = ((tid - 1) + nthreads * sent) % #bodies + 1
  sent = sent + 1
  return wrk.format("POST", "/sms/inbound", {{
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Twilio-Signature"] = sigs[i],
  }}, bodies[i])
end
"""
    )


# --- Whole reports ------------------------------------------------------------------------------


@dataclass
class Reports:
    per_step: dict[int, list[float]] = field(default_factory=dict)
    whole: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _replies(content: bytes) -> list[str]:
    root = ElementTree.fromstring(content)
    return [m.text or "" for m in root.findall("Message")]


def phone_loop(
    port: int, url: str, addresses: list[str], deadline: float, seed: int, out: Reports
) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    count = 0
    while time.monotonic() < deadline:
        count += 1
        number = f"+1773{seed:03d}{count:04d}"
        script = [
            f"tree needs trimming at {rng.choice(addresses)}",
            "YES",
            "1",
            "2",
            "Branches over the sidewalk",
        ]
        started = time.monotonic()
        last: list[str] = []
        for step, text in enumerate(script, 1):
            form, sig = signed(url, number, text, f"SMr{seed:03d}{count:08d}{step:02d}" + "0" * 17)
            t0 = time.monotonic()
            response = post(connection, form, sig)
            content = response.read()
            elapsed = time.monotonic() - t0
            if response.status != 200:
                with out.lock:
                    out.failures.append(f"step {step}: HTTP {response.status}")
                break
            last = _replies(content)
            with out.lock:
                out.per_step.setdefault(step, []).append(elapsed)
        else:
            total = time.monotonic() - started
            done = bool(last) and "tracking number" in last[0]
            with out.lock:
                if done:
                    out.whole.append(total)
                else:
                    out.failures.append(f"report ended with {last!r}")
    connection.close()


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


# --- Run ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="", help="bench database to copy (never modified)")
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--phones", type=int, default=4, help="concurrent reporting phones (4)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--seed", type=int, default=311)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        say("wrk is not installed: `apt-get install -y wrk`")
        return 2
    source = (
        Path(args.source) if args.source else next((p for p in DEFAULT_SOURCES if p.exists()), None)
    )
    if source is None or not source.exists():
        say("no bench database: run bench/run.py first, or pass --source")
        return 2
    base.VAR_DIR.mkdir(exist_ok=True)
    (base.VAR_DIR / "logs").mkdir(exist_ok=True)
    base.RESULTS_DIR.mkdir(exist_ok=True)
    copy = base.VAR_DIR / f"sms-{source.name}"
    if not copy.exists():
        say(f"setup: copying {source} to {copy}")
        shutil.copyfile(source, copy)
    python = sys.executable
    env = base.bench_env(f"sqlite:///{copy}", secret_key=base.secret_key())
    port = base.free_port()
    url = f"http://{HOST}:{port}/sms/inbound"
    env.update(
        {
            "SMS_ENABLED": "true",
            "TWILIO_AUTH_TOKEN": TOKEN,
            "TWILIO_ACCOUNT_SID": ACCOUNT,
            "SMS_FROM_NUMBER": CITY,
            "SMS_WEBHOOK_URL": url,
            "SMS_MAX_REPORTS_PER_DAY": "1000000",
            "WEB_WORKERS": str(args.workers),
        }
    )
    signal.signal(signal.SIGINT, base._on_signal)
    signal.signal(signal.SIGTERM, base._on_signal)
    atexit.register(base.CHILDREN.stop_all)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    rng = random.Random(args.seed)
    try:
        say("setup: migrate the copy, static files")
        base.run_command(
            [python, "manage.py", "migrate", "--noinput", "-v0"], env=env, timeout=1800
        )
        base.run_command(
            [python, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, timeout=600
        )
        base.django_setup(env)
        from django.db import connection

        from civic311.geo.models import AddressPoint
        from civic311.service_requests.models import ServiceRequest

        top = ServiceRequest.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ids = rng.sample(range(1, top + 1), min(3000, top))
        numbers = list(
            ServiceRequest.objects.filter(id__in=ids).values_list("tracking_number", flat=True)
        )
        addresses = list(AddressPoint.objects.values_list("address", flat=True)[:3000])
        stored = ServiceRequest.objects.count()
        size = base.database_size()
        connection.close()
        say(f"setup: {stored:,} requests stored ({size})")

        log = base.VAR_DIR / "logs" / f"sms-civic311-{stamp}.log"
        say(f"server: Civic311 on {HOST}:{port}, {args.workers} workers (log {log})")
        server = base.CHILDREN.start(
            base.gunicorn_args(
                python=python, app="civic311.wsgi:application", port=port, workers=args.workers
            ),
            env=env,
            log=log,
        )
        base.wait_until_up(port, server, log)

        # One status query, recorded for the ceiling.
        form, sig = signed(url, "+13125550000", f"STATUS {numbers[0]}", "SMbenchrecord" + "0" * 21)
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        answer = post(conn, form, sig)
        recorded_body = answer.read()
        recorded_headers = answer.getheaders()
        conn.close()
        if answer.status != 200:
            raise SystemExit(f"status query answered {answer.status}: {recorded_body[:300]!r}")
        say(f"  status reply: {_replies(recorded_body)[0]}")

        lua = base.VAR_DIR / "lua"
        lua.mkdir(exist_ok=True)
        script = lua / "sms_status.lua"
        script.write_text(status_lua(url, numbers, args.threads, rng))
        scenario = base.Scenario(
            name="sms_status", title="SMS status query", method="POST", target="/sms/inbound"
        )

        manifest = base.VAR_DIR / f"ceiling-sms-{stamp}.json"
        manifest.write_text(
            json.dumps(
                {
                    "responses": [
                        {
                            "method": "POST",
                            "target": "/sms/inbound",
                            "status": 200,
                            "headers": [
                                [k, v]
                                for k, v in recorded_headers
                                if k.lower() not in base._NOT_REPLAYED
                            ],
                            "body": base64.b64encode(recorded_body).decode(),
                        }
                    ]
                }
            )
        )
        ceiling_port = base.free_port()
        ceiling_log = base.VAR_DIR / "logs" / f"sms-ceiling-{stamp}.log"
        ceiling = base.CHILDREN.start(
            [
                *base.gunicorn_args(
                    python=python,
                    app="ceiling:application",
                    port=ceiling_port,
                    workers=args.workers,
                ),
                "--pythonpath",
                str(base.BENCH_DIR),
            ],
            env=env | {"CEILING_MANIFEST": str(manifest)},
            log=ceiling_log,
        )
        base.wait_until_up(ceiling_port, ceiling, ceiling_log)

        measured = {}
        for label, target in (("civic311", port), ("ceiling", ceiling_port)):
            if args.warmup > 0:
                base.run_wrk(
                    port=target,
                    scenario=scenario,
                    duration=args.warmup,
                    connections=args.connections,
                    threads=args.threads,
                    script=script,
                )
            measured[label] = base.run_wrk(
                port=target,
                scenario=scenario,
                duration=args.duration,
                connections=args.connections,
                threads=args.threads,
                script=script,
            )
            m = measured[label]
            say(
                f"  status {label:<8} {m.rps:>8,.0f} msg/s  p50 {m.p50_ms:6.1f} ms  "
                f"p90 {m.p90_ms:6.1f} ms  p99 {m.p99_ms:6.1f} ms  non-2xx {m.non2xx}  "
                f"errors {m.errors}  ({m.requests:,} messages)"
            )
        base.CHILDREN.stop(ceiling)

        say(f"reports: {args.phones} phones, {args.duration:g} s")
        reports = Reports()
        deadline = time.monotonic() + args.duration
        workers = [
            threading.Thread(
                target=phone_loop,
                args=(port, url, addresses, deadline, i + 1, reports),
                daemon=True,
            )
            for i in range(args.phones)
        ]
        started = time.monotonic()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(args.duration + 120)
        elapsed = time.monotonic() - started
    finally:
        base.CHILDREN.stop_all()

    status, ceiling_m = measured["civic311"], measured["ceiling"]
    lines = [
        f"# Civic311 SMS benchmark, {stamp}",
        "",
        f"- machine: {base.machine()}; load generators on the same machine",
        f"- commit: {base.commit()}",
        f"- database: copy of {source} ({size}, {stored:,} stored requests)",
        f"- server: gunicorn, {args.workers} sync workers, production configuration, DEBUG off",
        f"- command: `python bench/sms.py {' '.join(argv if argv is not None else sys.argv[1:])}`",
        "",
        "## Status queries (wrk, every message a new signed MessageSid)",
        "",
        f"wrk, {args.threads} threads, {args.connections} connections, {args.duration:g} s after"
        f" {args.warmup:g} s warm-up; {STATUS_BODIES:,} distinct messages cycled.",
        "",
        "| | msg/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, m in (("Civic311", status), ("ceiling", ceiling_m)):
        lines.append(
            f"| {label} | {m.rps:,.0f} | {m.p50_ms:.1f} | {m.p90_ms:.1f} | {m.p99_ms:.1f} |"
            f" {m.max_ms:.1f} | {m.non2xx} | {m.errors} |"
        )
    ratio = status.rps / ceiling_m.rps if ceiling_m.rps else float("nan")
    lines += [
        "",
        f"Civic311 / ceiling: {ratio:.2f}",
        "",
        f"## Whole reports ({args.phones} phones at once, 5 messages each, keep-alive)",
        "",
        f"{len(reports.whole)} reports completed in {elapsed:.1f} s"
        f" ({len(reports.whole) / elapsed:.1f} reports/s); failures: {len(reports.failures)}"
        + (f" (first: {reports.failures[0]})" if reports.failures else ""),
        "",
        "| message | n | p50 ms | p90 ms | p99 ms | mean ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    names = {
        1: "1. problem and address (geocode, read back)",
        2: "2. YES (duplicate check, first question)",
        3: "3. answer",
        4: "4. answer",
        5: "5. description: submit_request",
    }
    for step in sorted(reports.per_step):
        values = reports.per_step[step]
        mean = statistics.mean(values) * 1000
        lines.append(
            f"| {names.get(step, step)} | {len(values)} | {pct(values, 50):.1f} |"
            f" {pct(values, 90):.1f} | {pct(values, 99):.1f} | {mean:.1f} |"
        )
    if reports.whole:
        lines.append(
            f"| whole report (5 messages, sequential) | {len(reports.whole)} |"
            f" {pct(reports.whole, 50):.1f} | {pct(reports.whole, 90):.1f} |"
            f" {pct(reports.whole, 99):.1f} | {statistics.mean(reports.whole) * 1000:.1f} |"
        )
    report = "\n".join(lines)
    say("")
    say(report)
    out = base.RESULTS_DIR / f"sms-{stamp}.md"
    out.write_text(report + "\n")
    say(f"\nsaved: {out.relative_to(base.REPO_DIR)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        base.CHILDREN.stop_all()
        print("\ninterrupted; servers stopped", file=sys.stderr)
        sys.exit(130)
