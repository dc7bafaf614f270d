from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from civic311.apikeys.actions import issue_key
from civic311.choices import KeyKind


class Command(BaseCommand):
    help = "Issue an Open311 API key for an app and print it (shown once; only a hash is kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app", required=True, help="The app's name, recorded as the source.")
        parser.add_argument("--email", default="developer@localhost", help="The developer's email.")
        parser.add_argument(
            "--test",
            action="store_true",
            help="A test key (sandbox requests) instead of production.",
        )
        parser.add_argument(
            "--updates", action="store_true", help="May post servicerequestupdates (back offices)."
        )

    def handle(
        self, *args: Any, app: str, email: str, test: bool, updates: bool, **options: Any
    ) -> None:
        issued = issue_key(
            app_name=app,
            contact_email=email,
            kind=KeyKind.TEST if test else KeyKind.PRODUCTION,
            approved=True,
            can_post_updates=updates,
        )
        self.stdout.write(issued.key)
