"""Benchmark the resident pages with run.py's machinery (gunicorn production configuration,
wrk, same-run ceiling): this script picks realistic paths from the bench database and runs
`run.py --only url --url …` with them.

    python bench/resident_pages.py                         # bench/var/bench-1000000.sqlite3
    python bench/resident_pages.py --connections 1         # server time, without queueing
    python bench/resident_pages.py --count 100000 --duration 10

Pages: the home page, choosing a service, the pothole form, the list of requests (open, and
all), the map's points, the busiest ward and community area (by open requests), the index of
areas, and the tracking page of a recent request. Other options are passed to run.py.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import run  # noqa: E402

OPEN = "('open', 'acknowledged', 'in_progress', 'scheduled')"


def paths(database: Path) -> list[str]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:

        def one(sql: str) -> str:
            row = db.execute(sql).fetchone()
            return str(row[0]) if row else ""

        table = "service_requests_servicerequest"
        ward = one(
            f"SELECT ward FROM {table} WHERE status IN {OPEN} AND ward != '' "
            "GROUP BY ward ORDER BY count(*) DESC LIMIT 1"
        )
        area = one(
            f"SELECT community_area FROM {table} WHERE status IN {OPEN} "
            "AND community_area != '' GROUP BY community_area ORDER BY count(*) DESC LIMIT 1"
        )
        number = one(f"SELECT tracking_number FROM {table} ORDER BY requested_at DESC LIMIT 1")
        pothole = one(
            "SELECT service_code FROM catalog_service WHERE service_name LIKE 'Pothole%' LIMIT 1"
        )
    return [
        "/",
        "/report/",
        f"/report/{pothole}/",
        "/requests/",
        "/requests/?status=all",
        "/requests/points.json",
        f"/wards/{ward}/",
        f"/community-areas/{area}/",
        "/areas/",
        f"/track/{number}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    args, rest = parser.parse_known_args(argv)
    database = run.VAR_DIR / f"bench-{args.count}.sqlite3"
    if not database.exists():
        parser.error(f"{database} does not exist: build it with `python bench/run.py` first")
    urls = [arg for path in paths(database) for arg in ("--url", path)]
    return run.main(["--count", str(args.count), "--skip-generate", "--only", "url", *urls, *rest])


if __name__ == "__main__":
    sys.exit(main())
