"""Send each department its daily SLA digest (civic311/staff/digest.py).

    manage.py send_sla_digest                        # today's, now, in this process
    manage.py send_sla_digest --day 2026-11-30       # a given day of the city's calendar
    manage.py send_sla_digest --enqueue              # as a task, for the worker
    manage.py send_sla_digest --every 300 --at 07:00 --enqueue   # keep running: daily at 07:00

A day is never sent twice, whichever way and however often this runs.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from civic311.staff import digest


def _clock(text: str) -> tuple[int, int]:
    try:
        moment = datetime.strptime(text, "%H:%M")
    except ValueError as exc:
        raise CommandError(f"--at takes a time of day like 07:00, not {text!r}") from exc
    return moment.hour, moment.minute


class Command(BaseCommand):
    help = "Email each department the open requests past their target (once per day)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--day", default="", help="The city's day, YYYY-MM-DD (today).")
        parser.add_argument(
            "--enqueue", action="store_true", help="Enqueue the task instead of sending here."
        )
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help="Keep running, looking every this many seconds whether today's is due.",
        )
        parser.add_argument(
            "--at", default="07:00", help="With --every: the city's time of day to send (07:00)."
        )

    def handle(
        self,
        *args: object,
        day: str,
        enqueue: bool,
        every: float,
        at: str,
        verbosity: int,
        **options: object,
    ) -> None:
        if day:
            try:
                date.fromisoformat(day)
            except ValueError as exc:
                raise CommandError(f"--day takes YYYY-MM-DD, not {day!r}") from exc
        if every <= 0:
            self._run(day, enqueue=enqueue, verbosity=verbosity)
            return
        hour, minute = _clock(at)
        tz = ZoneInfo(settings.CITY_TIME_ZONE)
        done = ""
        while True:
            local = timezone.now().astimezone(tz)
            today = local.date().isoformat()
            if done != today and (local.hour, local.minute) >= (hour, minute):
                self._run(today, enqueue=enqueue, verbosity=verbosity)
                done = today
            time.sleep(every)

    def _run(self, day: str, *, enqueue: bool, verbosity: int) -> None:
        if enqueue:
            digest.send_sla_digests.enqueue(day)
            if verbosity > 0:
                self.stdout.write(f"SLA digest for {day or 'today'} enqueued")
            return
        outcomes = digest.send_digests(date.fromisoformat(day) if day else None)
        if verbosity > 0:
            for code, outcome in outcomes.items():
                self.stdout.write(f"{code}: {outcome}")
