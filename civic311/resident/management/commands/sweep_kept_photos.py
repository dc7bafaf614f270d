from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from civic311.resident import stash


class Command(BaseCommand):
    help = "Delete photos kept for report forms that were never submitted (run it daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24, help="age to delete (default 24)")

    def handle(self, *args: Any, **options: Any) -> None:
        removed = stash.sweep(older_than=timedelta(hours=options["hours"]))
        self.stdout.write(f"removed {removed} kept photos")
