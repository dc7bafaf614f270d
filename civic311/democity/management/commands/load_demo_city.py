from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from civic311.democity.loader import load_demo_city


class Command(BaseCommand):
    help = (
        "Load the demo city (Chicago boundaries, street-grid addresses, departments, services "
        "and sample requests). Steps already done are skipped, so it is safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sample",
            type=int,
            default=1500,
            help="How many sample requests to create on an empty database (0 for none).",
        )

    def handle(self, *args: Any, sample: int, **options: Any) -> None:
        load_demo_city(lambda line: self.stdout.write(line), sample=sample)
