"""The conversation with one phone number: a small explicit state machine.

    idle --REPORT / a problem in words--> service --number or words--> address
    address --geocoded--> confirm --YES--> [duplicate --NEW-->] question* --> description
    description --text / SKIP--> submitted (idle)          duplicate --FOLLOW--> idle

This module reads the keywords that work in any state (STATUS, FOLLOW <number>, HELP,
ESPAÑOL / ENGLISH, and STOP with its Spanish words, which opt out of everything, always) and
hands the rest to the state's step in report.py. `handle` only reads (the catalogue, the
geocoder, requests nearby): what it decides is carried out by conversation.py, which does the
writes in one short transaction after every outside call is done.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civic311.messaging.models import DialogState
from civic311.messaging.provider import Media
from civic311.service_requests import selectors, tracking
from civic311.sms import report, status
from civic311.sms.keywords import Command, parse
from civic311.sms.language import guess_language
from civic311.sms.report import followed_text, start_report
from civic311.sms.steps import Follow, Snapshot, Step, keep

# --- Entry point ------------------------------------------------------------------------------


def handle(snapshot: Snapshot, text: str, media: Sequence[Media], *, now: datetime) -> Step:
    parsed = parse(text)
    command, keyword_language = parsed.command, parsed.language
    if command is Command.STOP:
        with translation.override(keyword_language or snapshot.dialog_language):
            return Step([_stop_text()], DialogState.IDLE, {}, opt_out=True)
    if snapshot.opted_out:
        if command is Command.START:
            with translation.override(keyword_language or snapshot.language):
                return Step([_start_text()], DialogState.IDLE, {}, opt_out=False)
        if command is Command.HELP:
            with translation.override(keyword_language or snapshot.language):
                return keep(snapshot, [_help_text()])
        return keep(snapshot, [])  # opted out: nothing is sent, not even a reply
    if command in (Command.SPANISH, Command.ENGLISH):
        language = "es" if command is Command.SPANISH else "en"
        data = {**snapshot.data, "lang": language} if snapshot.data else {}
        changed = replace(snapshot, language=language, data=data)
        with translation.override(language):
            replies = [
                _("OK, we will write in English.")
                if language == "en"
                else _("OK, we will write in Spanish.")
            ]
            prompt = report.prompt(changed)
            replies += [prompt] if prompt else []
            return Step(replies, snapshot.state, data, language=language)
    # A keyword in one language starts a dialog in that language; otherwise the phone's.
    language = keyword_language or snapshot.dialog_language
    if snapshot.state == DialogState.IDLE and not keyword_language and command is None:
        language = guess_language(text) or snapshot.language
    with translation.override(language):
        if command is Command.START:
            return keep(snapshot, [_start_text()])
        if command is Command.HELP:
            return keep(snapshot, [_help_text()])
        if command is Command.STATUS:
            return keep(snapshot, [status_reply(parsed.rest)])
        if command is Command.FOLLOW and parsed.rest:
            return _follow_number(snapshot, parsed.rest, language)
        if command is Command.REPORT:
            return start_report(snapshot, parsed.rest, media, language=language)
        return _in_state(snapshot, text, media, language=language, now=now)


def _in_state(
    snapshot: Snapshot, text: str, media: Sequence[Media], *, language: str, now: datetime
) -> Step:
    state = snapshot.state
    if state != DialogState.IDLE and media:
        snapshot = replace(snapshot, data=report.with_media(snapshot.data, media))
        if not text.strip():
            return Step(
                [_("Photo received.") + " " + report.prompt(snapshot)], state, snapshot.data
            )
    if state == DialogState.SERVICE:
        return report.choose_service(snapshot, text)
    if state == DialogState.ADDRESS:
        return report.address(snapshot, text)
    if state == DialogState.CONFIRM:
        return report.confirm(snapshot, text)
    if state == DialogState.DUPLICATE:
        return report.duplicate(snapshot, text)
    if state == DialogState.QUESTION:
        return report.answer(snapshot, text, now=now)
    if state == DialogState.DESCRIPTION:
        return report.describe(snapshot, text)
    # Idle: a tracking number is a status query; anything else is the start of a report.
    if looks_like_number(text):
        return keep(snapshot, [status_reply(text)])
    if not text.strip() and not media:
        return keep(snapshot, [_help_text()])
    return start_report(snapshot, text, media, language=language)


# --- Texts ------------------------------------------------------------------------------------


def _help_text() -> str:
    return _(
        "City 311 by text. REPORT to report a problem, STATUS and a number (26-00012345) to "
        "check one, FOLLOW and a number for updates, ESPAÑOL for Spanish, STOP to end. "
        "Emergencies: call 911."
    )


def _stop_text() -> str:
    return _("You will get no more texts from City 311. Reply START to come back.")


def _start_text() -> str:
    return _("Welcome back to City 311 by text. Reply HELP for help, STOP to end.")


def _timeout_text() -> str:
    return _("Your unfinished report was not sent: there was no reply for a while.")


def timed_out(snapshot: Snapshot) -> str:
    with translation.override(snapshot.dialog_language):
        return _timeout_text()


# --- Status and follow ------------------------------------------------------------------------

_NUMBERISH = re.compile(r"[#\s]*\d[\d\s.\-]*")


def looks_like_number(text: str) -> bool:
    text = text.strip()
    return (
        bool(text)
        and bool(_NUMBERISH.fullmatch(text))
        and bool(tracking.candidates(text, today=timezone.now()))
    )


def status_reply(typed: str) -> str:
    typed = typed.strip().lstrip("#:").strip()
    if not typed:
        return _("Send STATUS and the request number, like STATUS 26-00012345.")
    found = status.find(typed)
    if found is None or found.is_test:
        return _("We found no request %(typed)s. Check the number: it looks like 26-00012345.") % {
            "typed": typed[:20]
        }
    return status.describe(found)


def _follow_number(snapshot: Snapshot, typed: str, language: str) -> Step:
    found = selectors.find_by_typed_number(typed.strip().lstrip("#:").strip())
    if found is None or found.is_test:
        return keep(
            snapshot,
            [
                _("We found no request %(typed)s. Check the number: it looks like 26-00012345.")
                % {"typed": typed.strip()[:20]}
            ],
        )
    root = selectors.root_of(found)
    step = keep(snapshot, [followed_text(root.tracking_number)])
    step.effect = Follow(root.tracking_number, language)
    return step
