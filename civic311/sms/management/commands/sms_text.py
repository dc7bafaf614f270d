"""Try the SMS dialog locally: one message in, the replies printed (no provider, no signature).

manage.py sms_text +13125550100 "pothole at 1200 W Madison"
manage.py sms_text +13125550100 YES
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from civic311.messaging.provider import Inbound
from civic311.sms import conversation


class Command(BaseCommand):
    help = "Send one text message into the SMS dialog as a phone number, and print the replies."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phone", help="the sender, e.g. +13125550100")
        parser.add_argument("text", nargs="+", help="the message")

    def handle(self, *args: Any, **options: Any) -> None:
        inbound = Inbound(
            sid=f"local-{secrets.token_hex(12)}",
            sender=options["phone"],
            to="local",
            body=" ".join(options["text"]),
        )
        outcome = conversation.receive(inbound)
        if not outcome.replies:
            self.stdout.write("(no reply: this number texted STOP)")
        for reply in outcome.replies:
            self.stdout.write(f"< {reply}")
