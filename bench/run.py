"""Benchmark the Open311 API the way it runs in production, side by side with a ceiling.

    python bench/run.py                      # 1,000,000 stored requests, every scenario
    python bench/run.py --count 100000 --duration 10
    python bench/run.py --count 100000 --only list_filtered --only post
    python bench/run.py --count 100000 --url / --url '/open311/v2/services.xml'

1. A bench database, bench/var/bench-N.sqlite3 (or DATABASE_URL from --database-url): migrate,
   `load_demo_city --sample 0`, then bench/generate.py until it holds N requests. Reused as it
   is on the next run (--skip-generate: do not top it up).
2. Civic311 under gunicorn with the production configuration (civic311/gunicorn_conf.py),
   DEBUG off, on 127.0.0.1 only.
3. Each scenario's response fetched once and recorded; bench/ceiling.py serves those exact
   bytes from a second gunicorn with the same configuration and worker count.
4. wrk (Debian package `wrk`) against Civic311, then against the ceiling, one scenario at a
   time, each for --duration seconds after a short warm-up.
5. A markdown table on stdout and in bench/results/<time>.md (with the raw numbers in .json).

Every child process (gunicorn, wrk) runs in its own process group and is stopped on exit,
error or Ctrl-C.
"""

from __future__ import annotations

import argparse
import atexit
import base64
import contextlib
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
VAR_DIR = BENCH_DIR / "var"
RESULTS_DIR = BENCH_DIR / "results"
HOST = "127.0.0.1"  # never anything else: this sends load
API = "/open311/v2"
POST_BODIES = 400

# The budget (DESIGN.md, "Performance budget"), checked on the filtered list and the POST.
BUDGET_LIST_P99_MS = 50.0
BUDGET_LIST_RATIO = 0.5
BUDGET_POST_RPS = 200.0

# Headers the server sets per response; everything else is replayed by the ceiling.
_NOT_REPLAYED = {"date", "server", "connection", "transfer-encoding", "keep-alive"}


def say(text: str) -> None:
    print(text, flush=True)


# --- Child processes ------------------------------------------------------------------------


class Children:
    """Processes this run started, each in its own process group; all stopped at exit."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(
        self, args: Sequence[str], *, env: dict[str, str], log: Path
    ) -> subprocess.Popen[bytes]:
        handle = open(log, "ab")  # noqa: SIM115 - owned by the child for its lifetime
        process = subprocess.Popen(
            list(args),
            cwd=REPO_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        handle.close()
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
        if process.poll() is None:
            _signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        # Workers the master left behind (it was killed) share its process group.
        _signal_group(process.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        while self.processes:
            self.stop(self.processes.pop())


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


CHILDREN = Children()


def _on_signal(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def run_command(args: Sequence[str], *, env: dict[str, str], timeout: float) -> None:
    """A setup step, its output shown; stopped (with its children) if this run is."""
    process = subprocess.Popen(list(args), cwd=REPO_DIR, env=env, start_new_session=True)
    try:
        code = process.wait(timeout=timeout)
    except BaseException:
        _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _signal_group(process.pid, signal.SIGKILL)
        raise
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(args)}")


# --- The bench database ---------------------------------------------------------------------


def bench_env(database_url: str, *, secret_key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "WEB_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "civic311.settings",
            "DATABASE_URL": database_url,
            "CIVIC311_DATA_DIR": str(VAR_DIR / "data"),
            "SECRET_KEY": secret_key,
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            # The limits still run (their cost is measured); they must not answer 429.
            "API_GET_PER_MINUTE": "1000000000",
            "API_POST_PER_MINUTE": "1000000000",
            "API_TEST_POST_PER_MINUTE": "1000000000",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def secret_key() -> str:
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def prepare_database(*, count: int, env: dict[str, str], skip_generate: bool, python: str) -> None:
    say("setup: migrate, demo city (boundaries, addresses, services), static files")
    run_command([python, "manage.py", "migrate", "--noinput", "-v0"], env=env, timeout=600)
    run_command([python, "manage.py", "load_demo_city", "--sample", "0"], env=env, timeout=600)
    run_command([python, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, timeout=600)
    stored = stored_requests()
    if skip_generate:
        say(f"setup: {stored:,} requests stored (--skip-generate)")
        return
    if stored >= count:
        say(f"setup: {stored:,} requests stored, reused")
        return
    say(f"setup: {stored:,} requests stored; generating {count - stored:,}")
    started = time.monotonic()
    run_command(
        [python, str(BENCH_DIR / "generate.py"), "--count", str(count - stored)],
        env=env,
        timeout=6 * 3600,
    )
    say(f"setup: generated in {time.monotonic() - started:.0f}s")


def django_setup(env: dict[str, str]) -> None:
    """Django in this process, on the bench database, for reading the facts scenarios need."""
    for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CIVIC311_DATA_DIR", "SECRET_KEY"):
        os.environ[key] = env[key]
    os.environ["DEBUG"] = "false"
    if str(REPO_DIR) not in sys.path:
        sys.path.insert(0, str(REPO_DIR))
    import django

    django.setup()


def stored_requests() -> int:
    from django.db import connection

    from civic311.service_requests.models import ServiceRequest

    try:
        return ServiceRequest.objects.count()
    finally:
        connection.close()


def database_size() -> str:
    from django.db import connection

    try:
        if connection.vendor == "sqlite":
            name = Path(str(connection.settings_dict["NAME"]))
            size = sum(p.stat().st_size for p in (name, Path(f"{name}-wal")) if p.exists())
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_database_size(current_database())")
                size = int(cursor.fetchone()[0])
        return f"{connection.vendor}, {size / 2**20:,.0f} MiB"
    finally:
        connection.close()


# --- Scenarios ------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    title: str
    method: str
    target: str  # path and query, as sent
    bodies: list[str] = field(default_factory=list)  # POST: form bodies, used in turn
    content_type: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)  # --header, e.g. a session cookie
    # Filled in by the run:
    skipped: str = ""
    status: int = 0
    response_bytes: int = 0


def iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def q(value: str) -> str:
    return quote(value, safe="")


def build_scenarios(*, api_key: str, urls: Sequence[str], seed: int) -> list[Scenario]:
    """The Open311 scenarios, with real values from the bench database."""
    import h3
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from civic311.catalog.models import Service
    from civic311.choices import Datatype
    from civic311.geo.locator import locate
    from civic311.service_requests.models import ServiceRequest

    rng = random.Random(seed)
    tz = ZoneInfo(settings.CITY_TIME_ZONE)
    now = timezone.now()
    window = now - timedelta(days=90)
    scenarios: list[Scenario] = []
    try:
        public = ServiceRequest.objects.all()
        if _has_field("is_test"):  # test requests are left out of public lists
            public = public.filter(is_test=False)
        recent = public.filter(requested_at__gte=window)
        recent_count = recent.count()
        busiest = (
            recent.values("service__service_code").annotate(n=Count("id")).order_by("-n").first()
        )
        service_code = busiest["service__service_code"] if busiest else ""
        if not service_code:
            first = Service.objects.filter(active=True).order_by("pk").first()
            service_code = first.service_code if first else "none"

        scenarios.append(Scenario("services", "services list", "GET", f"{API}/services.json"))

        # A typical request of the last 90 days (opened, acknowledged, closed).
        middle = recent.order_by("requested_at").values_list("tracking_number", flat=True)[
            recent_count // 2 : recent_count // 2 + 1
        ]
        number = next(iter(middle), None) or public.values_list("tracking_number", flat=True).last()
        scenarios.append(
            Scenario("one", "one request", "GET", f"{API}/requests/{number or 'none'}.json")
        )

        scenarios.append(
            Scenario("list_default", "requests list, default", "GET", f"{API}/requests.json")
        )

        start = (now - timedelta(days=60)).astimezone(tz)
        end = now.astimezone(tz)
        scenarios.append(
            Scenario(
                "list_filtered",
                "requests list, service+status+dates, 50",
                "GET",
                f"{API}/requests.json?service_code={q(service_code)}&status=open"
                f"&start_date={q(iso(start))}&end_date={q(iso(end))}&page_size=50",
            )
        )

        # A ~1 km box around the middle of the busiest resolution-7 cell of the last 90 days.
        dense = recent.values("h3_r7").annotate(n=Count("id")).order_by("-n").first() or {
            "h3_r7": None
        }
        if dense["h3_r7"]:
            lat, long = h3.cell_to_latlng(dense["h3_r7"])
        else:
            lat, long = 41.8781, -87.6298
        half_lat = 500 / 111_320
        half_long = half_lat / math.cos(math.radians(lat))
        corners = (long - half_long, lat - half_lat, long + half_long, lat + half_lat)
        bbox = ",".join(f"{c:.5f}" for c in corners)
        scenarios.append(
            Scenario(
                "bbox",
                "requests list, 1 km bbox, 50",
                "GET",
                f"{API}/requests.json?bbox={bbox}&page_size=50",
            )
        )

        # Page 50 of the default window, or its last full page when the window is smaller.
        page = max(1, min(50, recent_count // 50))
        scenarios.append(
            Scenario(
                "page_50",
                f"requests list, page {page} of 50",
                "GET",
                f"{API}/requests.json?page={page}&page_size=50",
            )
        )
        scenarios.append(
            Scenario(
                "xml",
                "requests list, XML, service, 50",
                "GET",
                f"{API}/requests.xml?page_size=50&service_code={q(service_code)}",
            )
        )

        # POST: points near real requests of the last year (each body another point), the
        # service's required questions answered.
        service = (
            Service.objects.prefetch_related("attributes__values")
            .filter(service_code=service_code)
            .first()
        )
        bodies: list[str] = []
        if api_key and service is not None:
            answers: dict[str, str] = {}
            for attribute in service.attributes.all():
                if not attribute.variable or not attribute.required:
                    continue
                keys = [v.key for v in attribute.values.all()]
                if attribute.datatype in (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST):
                    answers[f"attribute[{attribute.code}]"] = keys[0]
                elif attribute.datatype == Datatype.NUMBER:
                    answers[f"attribute[{attribute.code}]"] = "2"
                elif attribute.datatype == Datatype.DATETIME:
                    answers[f"attribute[{attribute.code}]"] = iso(now.astimezone(tz))
                else:
                    answers[f"attribute[{attribute.code}]"] = "Seen this morning."
            places = list(
                public.filter(requested_at__gte=now - timedelta(days=365))
                .order_by("?")
                .values_list("lat", "long")[: POST_BODIES * 2]
            )
            if not places:
                places = [(41.8781, -87.6298)]
            jitter = 20 / 111_320
            while len(bodies) < POST_BODIES:
                p_lat, p_long = rng.choice(places)
                p_lat += rng.uniform(-jitter, jitter)
                p_long += rng.uniform(-jitter, jitter)
                if not locate(p_lat, p_long).inside_city:
                    continue
                bodies.append(
                    urlencode(
                        {
                            "api_key": api_key,
                            "service_code": service_code,
                            "lat": f"{p_lat:.6f}",
                            "long": f"{p_long:.6f}",
                            **answers,
                            "description": rng.choice(
                                ["Couch and a mattress.", "Tires behind the garage.", ""]
                            ),
                        }
                    )
                )
        post = Scenario(
            "post",
            "POST request, full pipeline",
            "POST",
            f"{API}/requests.json",
            bodies=bodies,
            content_type="application/x-www-form-urlencoded",
        )
        if not bodies:
            post.skipped = "no API key (see --api-key)"
        scenarios.append(post)
    finally:
        connection.close()

    for n, url in enumerate(urls, start=1):
        if not url.startswith("/"):
            raise SystemExit(
                f"--url takes a path on the server, like /open311/v2/services.json: {url}"
            )
        scenarios.append(Scenario(f"url{n}", f"GET {url}", "GET", url))
    return scenarios


def _has_field(name: str) -> bool:
    from civic311.service_requests.models import ServiceRequest

    return any(f.name == name for f in ServiceRequest._meta.get_fields())


def issue_api_key(*, python: str, env: dict[str, str]) -> str:
    """A production key for the app "bench", from `manage.py issue_api_key`."""
    result = subprocess.run(
        [python, "manage.py", "issue_api_key", "--app", "bench"],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        say(
            "note: `manage.py issue_api_key --app bench` failed; POST skipped:\n"
            + result.stderr[-500:]
        )
        return ""
    words = result.stdout.split()
    return words[-1] if words else ""


# --- Servers --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def gunicorn_args(*, python: str, app: str, port: int, workers: int) -> list[str]:
    """The production configuration when the project has one, for both servers."""
    args = [python, "-m", "gunicorn", app, "--bind", f"{HOST}:{port}", "--workers", str(workers)]
    if (REPO_DIR / "civic311" / "gunicorn_conf.py").exists():
        args += ["--config", "python:civic311.gunicorn_conf"]
    return args


def wait_until_up(
    port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server on port {port} exited; see {log}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/__bench_ping__", timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server on port {port} did not answer within {timeout:.0f}s; see {log}")


@dataclass
class Fetched:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def fetch(port: int, scenario: Scenario) -> Fetched:
    data = scenario.bodies[0].encode() if scenario.method == "POST" else None
    request = urllib.request.Request(
        f"http://{HOST}:{port}{scenario.target}", data=data, method=scenario.method
    )
    if scenario.content_type:
        request.add_header("Content-Type", scenario.content_type)
    for name, value in scenario.headers:
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Fetched(response.status, list(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, list(error.headers.items()), error.read())


# --- wrk ------------------------------------------------------------------------------------

_LUA_COMMON = r"""
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 97)
  table.insert(threads, thread)
end
function init(args)
  non2xx = 0
  sent = offset or 0
end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non2xx") or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, "non2xx": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean, bad, e.connect,
    e.read, e.write, e.timeout))
end
"""


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def lua_script(scenario: Scenario) -> str:
    if scenario.method != "POST":
        extra = "".join(
            f"wrk.headers[{_lua_string(name)}] = {_lua_string(value)}\n"
            for name, value in scenario.headers
        )
        return _LUA_COMMON + extra
    bodies = ",\n  ".join(_lua_string(b) for b in scenario.bodies)
    return (
        _LUA_COMMON
        + f"""
local bodies = {{
  {bodies}
}}
local headers = {{ ["Content-Type"] = {_lua_string(scenario.content_type)} }}
local target = {_lua_string(scenario.target)}
function request()
  sent = sent + 1
  return wrk.format("POST", target, headers, bodies[(sent % #bodies) + 1])
end
"""
    )


@dataclass
class Measured:
    rps: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    requests: int
    non2xx: int
    errors: int


def run_wrk(
    *,
    port: int,
    scenario: Scenario,
    duration: float,
    connections: int,
    threads: int,
    script: Path,
) -> Measured:
    args = [
        "wrk",
        "--threads",
        str(threads),
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(duration))}s",
        "--timeout",
        "10s",
        "--latency",
        "--script",
        str(script),
        f"http://{HOST}:{port}{scenario.target}",
    ]
    result = subprocess.run(args, capture_output=True, text=True, timeout=duration + 60)
    match = re.search(r"^BENCH_RESULT (\{.*\})$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or match is None:
        raise SystemExit(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    raw = json.loads(match.group(1))
    seconds = raw["duration_us"] / 1e6
    return Measured(
        rps=raw["requests"] / seconds if seconds else 0.0,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        requests=raw["requests"],
        non2xx=raw["non2xx"],
        errors=raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"],
    )


# --- Report ---------------------------------------------------------------------------------


@dataclass
class Row:
    scenario: Scenario
    real: Measured | None = None
    ceiling: Measured | None = None

    @property
    def ratio(self) -> float | None:
        if self.real is None or self.ceiling is None or not self.ceiling.rps:
            return None
        return self.real.rps / self.ceiling.rps


def _n(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| scenario | requests/s | p50 ms | p95 ms | p99 ms | non-2xx | errors | bytes "
        "| ceiling requests/s | ceiling p99 ms | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        s = row.scenario
        if s.skipped:
            lines.append(f"| {s.title} | skipped: {s.skipped} | | | | | | | | | |")
            continue
        r, c = row.real, row.ceiling
        lines.append(
            f"| {s.title} | {_n(r.rps if r else None)} | {_n(r.p50_ms if r else None, 1)} "
            f"| {_n(r.p95_ms if r else None, 1)} | {_n(r.p99_ms if r else None, 1)} "
            f"| {_n(r.non2xx if r else None)} | {_n(r.errors if r else None)} "
            f"| {s.response_bytes:,} "
            f"| {_n(c.rps if c else None)} | {_n(c.p99_ms if c else None, 1)} "
            f"| {_n(row.ratio, 2) if row.ratio is not None else '-'} |"
        )
    return "\n".join(lines)


def budget(rows: Sequence[Row]) -> list[str]:
    found = {row.scenario.name: row for row in rows}
    lines = []
    listed = found.get("list_filtered")
    if listed and listed.real:
        ok = listed.real.p99_ms <= BUDGET_LIST_P99_MS and (listed.ratio or 0) >= BUDGET_LIST_RATIO
        lines.append(
            f"- filtered list: p99 {listed.real.p99_ms:.1f} ms (budget ≤ {BUDGET_LIST_P99_MS:.0f}),"
            f" {listed.ratio or 0:.2f} of the ceiling (budget ≥ {BUDGET_LIST_RATIO}):"
            f" {'PASS' if ok else 'FAIL'}"
        )
    post = found.get("post")
    if post and post.real:
        ok = post.real.rps >= BUDGET_POST_RPS and post.real.non2xx == 0
        lines.append(
            f"- POST: {post.real.rps:,.0f} requests/s (budget ≥ {BUDGET_POST_RPS:.0f}, all 2xx):"
            f" {'PASS' if ok else 'FAIL'}"
        )
    return lines


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores {model}, {platform.system()} {platform.release()}"


def commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}{' (with uncommitted changes)' if dirty else ''}"


# --- Main -----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark Civic311's Open311 API against a same-run ceiling.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__,
    )
    parser.add_argument("--count", type=int, default=1_000_000, help="stored requests (1,000,000)")
    parser.add_argument("--duration", type=float, default=15, help="seconds per measurement (15)")
    parser.add_argument(
        "--warmup", type=float, default=3, help="seconds of warm-up before each (3)"
    )
    parser.add_argument("--connections", type=int, default=16, help="open connections (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn workers, for both servers (2 * cores + 1)",
    )
    parser.add_argument("--skip-generate", action="store_true", help="use the database as it is")
    parser.add_argument(
        "--database-url",
        default="",
        help="bench database (default sqlite:///bench/var/bench-N.sqlite3); postgres://… works",
    )
    parser.add_argument("--api-key", default="", help="key for the POST scenario (default: issued)")
    parser.add_argument(
        "--url", action="append", default=[], help="also benchmark this GET path (repeatable)"
    )
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        help="send this 'Name: value' header with the --url paths (repeatable), e.g. a session "
        "cookie for the staff console (bench/staff_queue.py)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="run only these scenarios: services one list_default list_filtered bbox page_50 xml "
        "post url (repeatable)",
    )
    parser.add_argument("--no-ceiling", action="store_true", help="measure Civic311 only")
    parser.add_argument("--seed", type=int, default=311)
    args = parser.parse_args(argv)

    if shutil.which("wrk") is None:
        say(
            "wrk is not installed. It is the load generator: `apt-get install -y wrk` "
            "(Debian/Ubuntu), `brew install wrk` (macOS)."
        )
        return 2
    if args.count < 1 or args.duration <= 0 or args.connections < 1 or args.workers < 1:
        parser.error("--count, --duration, --connections and --workers must be positive")

    VAR_DIR.mkdir(exist_ok=True)
    (VAR_DIR / "logs").mkdir(exist_ok=True)
    RESULTS_DIR.mkdir(exist_ok=True)
    python = sys.executable
    database_url = args.database_url or f"sqlite:///{VAR_DIR / f'bench-{args.count}.sqlite3'}"
    env = bench_env(database_url, secret_key=secret_key())

    # SIGINT too: a run started in the background by a shell would otherwise ignore it.
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    atexit.register(CHILDREN.stop_all)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        django_setup(env)
        prepare_database(count=args.count, env=env, skip_generate=args.skip_generate, python=python)
        wanted = set(args.only)
        api_key = args.api_key
        if not api_key and (not wanted or "post" in wanted):
            api_key = issue_api_key(python=python, env=env)
        scenarios = build_scenarios(api_key=api_key, urls=args.url, seed=args.seed)
        headers = [tuple(part.strip() for part in h.split(":", 1)) for h in args.header]
        if any(len(h) != 2 or not h[0] for h in headers):
            parser.error("--header takes 'Name: value'")
        for scenario in scenarios:
            if scenario.name.startswith("url"):
                scenario.headers = [(h[0], h[1]) for h in headers]
        if wanted:
            # --url paths always run; --only picks among the Open311 scenarios.
            scenarios = [s for s in scenarios if s.name in wanted or s.name.startswith("url")]
        stored = stored_requests()
        size = database_size()

        real_port = free_port()
        real_log = VAR_DIR / "logs" / f"civic311-{stamp}.log"
        server_env = dict(env)
        server_env["WEB_WORKERS"] = str(args.workers)
        say(f"server: Civic311 on {HOST}:{real_port}, {args.workers} workers (log {real_log})")
        real = CHILDREN.start(
            gunicorn_args(
                python=python, app="civic311.wsgi:application", port=real_port, workers=args.workers
            ),
            env=server_env,
            log=real_log,
        )
        wait_until_up(real_port, real, real_log)

        recorded: list[dict[str, Any]] = []
        for scenario in scenarios:
            if scenario.skipped:
                continue
            got = fetch(real_port, scenario)
            scenario.status = got.status
            scenario.response_bytes = len(got.body)
            if not 200 <= got.status < 300:
                text = " ".join(got.body[:400].decode(errors="replace").split())
                scenario.skipped = f"HTTP {got.status}: {text[:100]}".replace("|", "/")
                say(f"  {scenario.name}: {scenario.skipped}")
                continue
            recorded.append(
                {
                    "method": scenario.method,
                    "target": scenario.target,
                    "status": got.status,
                    "headers": [[k, v] for k, v in got.headers if k.lower() not in _NOT_REPLAYED],
                    "body": base64.b64encode(got.body).decode("ascii"),
                }
            )
            say(
                f"  {scenario.name}: {scenario.method} {scenario.target[:100]} -> "
                f"{got.status}, {len(got.body):,} bytes"
            )

        ceiling_port = 0
        if not args.no_ceiling and recorded:
            manifest = VAR_DIR / f"ceiling-{stamp}.json"
            manifest.write_text(json.dumps({"responses": recorded}))
            ceiling_port = free_port()
            ceiling_log = VAR_DIR / "logs" / f"ceiling-{stamp}.log"
            ceiling_env = dict(server_env)
            ceiling_env["CEILING_MANIFEST"] = str(manifest)
            say(f"server: ceiling on {HOST}:{ceiling_port}, {args.workers} workers")
            ceiling = CHILDREN.start(
                [
                    *gunicorn_args(
                        python=python,
                        app="ceiling:application",
                        port=ceiling_port,
                        workers=args.workers,
                    ),
                    "--pythonpath",
                    str(BENCH_DIR),
                ],
                env=ceiling_env,
                log=ceiling_log,
            )
            wait_until_up(ceiling_port, ceiling, ceiling_log)

        lua_dir = VAR_DIR / "lua"
        lua_dir.mkdir(exist_ok=True)
        rows = [Row(s) for s in scenarios]
        for row in rows:
            s = row.scenario
            if s.skipped:
                continue
            script = lua_dir / f"{s.name}.lua"
            script.write_text(lua_script(s))
            targets = [("civic311", real_port)] + (
                [("ceiling", ceiling_port)] if ceiling_port else []
            )
            for label, port in targets:
                if args.warmup > 0:
                    run_wrk(
                        port=port,
                        scenario=s,
                        duration=args.warmup,
                        connections=args.connections,
                        threads=args.threads,
                        script=script,
                    )
                measured = run_wrk(
                    port=port,
                    scenario=s,
                    duration=args.duration,
                    connections=args.connections,
                    threads=args.threads,
                    script=script,
                )
                if label == "civic311":
                    row.real = measured
                else:
                    row.ceiling = measured
                say(
                    f"  {s.name:<14} {label:<8} {measured.rps:>9,.0f} req/s  "
                    f"p50 {measured.p50_ms:7.1f} ms  p99 {measured.p99_ms:7.1f} ms  "
                    f"non-2xx {measured.non2xx}  errors {measured.errors}"
                )
    finally:
        CHILDREN.stop_all()

    header = [
        f"# Civic311 benchmark, {stamp}",
        "",
        f"- machine: {machine()}; load generator on the same machine",
        f"- commit: {commit()}",
        f"- database: {size}, {stored:,} stored requests ({database_url.split('://')[0]})",
        f"- server: gunicorn, {args.workers} sync workers, production configuration"
        f" (civic311/gunicorn_conf.py), DEBUG off; the ceiling on the same configuration",
        f"- load: wrk, {args.threads} threads, {args.connections} connections,"
        f" {args.duration:g} s per measurement after {args.warmup:g} s of warm-up",
        "",
    ]
    listing = ["", "Targets:", ""] + [f"- `{s.method} {s.target}`" for s in scenarios]
    checks = budget(rows)
    report = "\n".join(
        header + [table(rows)] + (["", "Budget (DESIGN.md):", *checks] if checks else []) + listing
    )
    say("")
    say(report)
    out = RESULTS_DIR / f"{stamp}.md"
    out.write_text(report + "\n")
    (RESULTS_DIR / f"{stamp}.json").write_text(
        json.dumps(
            [
                {
                    "scenario": asdict(row.scenario) | {"bodies": len(row.scenario.bodies)},
                    "civic311": asdict(row.real) if row.real else None,
                    "ceiling": asdict(row.ceiling) if row.ceiling else None,
                    "ratio": row.ratio,
                }
                for row in rows
            ],
            indent=2,
        )
    )
    say(f"\nsaved: {out.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        CHILDREN.stop_all()
        print("\ninterrupted; servers stopped", file=sys.stderr)
        sys.exit(130)
