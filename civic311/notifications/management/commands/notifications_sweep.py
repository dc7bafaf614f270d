"""Recover notifications a dead worker left half done (see civic311/notifications/sweep.py)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from civic311.notifications.sweep import sweep


class Command(BaseCommand):
    help = "Send again what a worker that died left in `sending`; re-enqueue lost tasks."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help="Keep running, sweeping every this many seconds (default: once).",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=None,
            help="Override NOTIFY_SENDING_TIMEOUT_SECONDS (only when no worker is running).",
        )

    def handle(self, *args: Any, every: float, timeout: int | None, **options: Any) -> None:
        while True:
            result = sweep(timeout_seconds=timeout)
            if options["verbosity"] > 0:
                self.stdout.write(
                    f"stalled sends: {result.stalled_sends}, lost tasks: {result.lost_tasks}, "
                    f"pending enqueued again: {result.requeued_pending}"
                )
            if every <= 0:
                return
            time.sleep(every)
