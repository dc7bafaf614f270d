"""manage.py import_address_points: load a city's own address file for the offline geocoder."""

from __future__ import annotations

import csv
import math
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from civic311.geo.geocoders import import_address_points

_DEFAULT_ZIP_COLUMN = "zipcode"


class Command(BaseCommand):
    help = (
        "Load address points (address, latitude, longitude, optional ZIP code) from a UTF-8 CSV "
        "file with a header row. Addresses already loaded are updated."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="a .csv file with a header row")
        parser.add_argument("--address-column", default="address")
        parser.add_argument("--lat-column", default="lat")
        parser.add_argument("--long-column", default="long")
        parser.add_argument(
            "--zip-column",
            default=None,
            help=f"the ZIP code column (default: {_DEFAULT_ZIP_COLUMN!r} if the file has one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        # Read and check the whole file before writing anything: a typo on line 40,000 should
        # not leave half a file loaded, and the writes stay short batches (one SQLite writer).
        rows = _read_rows(
            path,
            address_column=options["address_column"],
            lat_column=options["lat_column"],
            long_column=options["long_column"],
            zip_column=options["zip_column"],
        )
        try:
            count = import_address_points(rows)
        except ValueError as exc:
            raise CommandError(f"Nothing more was imported from {path}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} address points from {path.name}."))


def _read_rows(
    path: Path,
    *,
    address_column: str,
    lat_column: str,
    long_column: str,
    zip_column: str | None,
) -> list[tuple[str, float, float, str]]:
    rows: list[tuple[str, float, float, str]] = []
    try:
        # utf-8-sig: spreadsheet programs often start a UTF-8 CSV with a byte-order mark.
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            required = [address_column, lat_column, long_column]
            if zip_column is not None:
                required.append(zip_column)
            elif _DEFAULT_ZIP_COLUMN in header:
                zip_column = _DEFAULT_ZIP_COLUMN
            missing = [name for name in required if name not in header]
            if missing:
                raise CommandError(
                    f"{path}: no column named {', '.join(map(repr, missing))}; the header has "
                    f"{', '.join(map(repr, header)) or 'no columns'}. Use --address-column, "
                    "--lat-column, --long-column or --zip-column to name them."
                )
            for record in reader:
                line = reader.line_num
                address = (record.get(address_column) or "").strip()
                if not address:
                    raise CommandError(f"{path}, line {line}: the address is empty")
                lat = _number(record.get(lat_column), path, line, lat_column, 90)
                long = _number(record.get(long_column), path, line, long_column, 180)
                zipcode = (record.get(zip_column) or "").strip() if zip_column else ""
                rows.append((address, lat, long, zipcode))
    except FileNotFoundError as exc:
        raise CommandError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise CommandError(f"{path}: not a readable CSV file ({exc})") from exc
    return rows


def _number(value: str | None, path: Path, line: int, column: str, limit: float) -> float:
    text = (value or "").strip()
    try:
        number = float(text)
    except ValueError:
        raise CommandError(f"{path}, line {line}: {column} {text!r} is not a number") from None
    if not (math.isfinite(number) and -limit <= number <= limit):
        raise CommandError(f"{path}, line {line}: {column} {text!r} is out of range")
    return number
