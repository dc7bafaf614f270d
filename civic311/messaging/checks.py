"""System checks for the SMS channel (stable ids: civic311.sms.W001…)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


@register()
def check_sms_credentials(**kwargs: Any) -> list[CheckMessage]:
    if not settings.SMS_ENABLED:
        return []
    problems: list[CheckMessage] = []
    if not settings.TWILIO_AUTH_TOKEN:
        problems.append(
            Warning(
                "SMS_ENABLED is on but TWILIO_AUTH_TOKEN is empty: every text message will be "
                "refused (403), because its signature cannot be checked.",
                hint="Set TWILIO_AUTH_TOKEN (or TWILIO_AUTH_TOKEN_FILE) to the account's token.",
                id="civic311.sms.W001",
            )
        )
    if not (settings.TWILIO_ACCOUNT_SID and settings.SMS_FROM_NUMBER):
        problems.append(
            Warning(
                "SMS_ENABLED is on but TWILIO_ACCOUNT_SID or SMS_FROM_NUMBER is empty: replies "
                "work, updates to followers cannot be sent.",
                hint="Set both to the account's SID and the city's SMS number (+1312…).",
                id="civic311.sms.W002",
            )
        )
    return problems
