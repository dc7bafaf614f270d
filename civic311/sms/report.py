"""The report dialog's steps: from a problem in words (or REPORT) to the Submit effect.

    service --number, or recognised words--> address --geocoded--> confirm --YES-->
    [duplicate --NEW-->] question 1..n --> description --text / SKIP--> Submit
    duplicate --FOLLOW--> Follow

Each function takes the phone's Snapshot and the text, and returns the Step; it only reads.
What the words mean is read by the modules beside it: the service (services.py), the place
(places.py), an answer (answers.py). What the city decides is the core's: whether to offer an
open request nearby (the submission preview) and whether an answer will do (catalog.answers).
Replies are in the active language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from civic311.catalog.answers import check_answer
from civic311.catalog.models import Service, ServiceAttribute
from civic311.messaging.models import DialogState
from civic311.messaging.provider import Media
from civic311.service_requests import actions, selectors
from civic311.service_requests.tracking import tracking_url
from civic311.sms import answers, places
from civic311.sms.keywords import Command, fold, parse
from civic311.sms.places import address_in, readback
from civic311.sms.services import (
    active,
    menu_services,
    menu_text,
    name_of,
    next_menu_page,
    recognise,
)
from civic311.sms.steps import Follow, Snapshot, Step, Submit


def followed_text(number: str) -> str:
    return _("You will get a text when %(number)s is closed or reopened. Reply STOP to end.") % {
        "number": number
    }


# --- Starting a report -------------------------------------------------------------------------


def start_report(
    snapshot: Snapshot,
    text: str,
    media: Sequence[Media],
    *,
    language: str,
) -> Step:
    data: dict[str, Any] = {"lang": language}
    data = with_media(data, media)
    fresh = replace(snapshot, state=DialogState.SERVICE, data=data)
    text = text.strip()
    found = recognise(text) if text else []
    if text and found:
        data["text"] = text  # the resident's own words become the description
    if len(found) == 1:
        step = _service_chosen(fresh, found[0], address_in(text))
    else:
        data["menu"] = [s.service_code for s in found] if found else []
        step = Step([menu_text(data, intro=not found)], DialogState.SERVICE, data)
    step.new_dialog = True
    if media and step.replies:
        step.replies[0] = _("Photo received.") + " " + step.replies[0]
    return step


def with_media(data: dict[str, Any], media: Sequence[Media]) -> dict[str, Any]:
    if not media:
        return data
    kept = list(data.get("media", []))
    for item in media:
        if len(kept) < settings.PHOTO_MAX_PER_REQUEST:
            kept.append([item.url, item.content_type])
    return {**data, "media": kept}


def choose_service(snapshot: Snapshot, text: str) -> Step:
    data = dict(snapshot.data)
    services = menu_services(data)
    choice = text.strip().rstrip(".")
    if choice == "0" or fold(choice) in ("MORE", "MAS"):
        data = next_menu_page(data)
        return Step([menu_text(data, intro=False)], DialogState.SERVICE, data)
    if choice.isdigit() and 1 <= int(choice) <= len(services):
        return _service_chosen(replace(snapshot, data=data), services[int(choice) - 1], "")
    found = recognise(text)
    if len(found) == 1:
        if not data.get("text"):
            data["text"] = text.strip()
        return _service_chosen(replace(snapshot, data=data), found[0], address_in(text))
    if found:
        data.update(menu=[s.service_code for s in found], page=0)
    return Step(
        [_("Please reply with one of the numbers.") + " " + menu_text(data, intro=False)],
        DialogState.SERVICE,
        data,
    )


def _service_chosen(snapshot: Snapshot, service: Service, address: str) -> Step:
    data = {k: v for k, v in snapshot.data.items() if k not in ("menu", "page")}
    data["service"] = service.service_code
    chosen = replace(snapshot, state=DialogState.ADDRESS, data=data)
    if address:
        return where(chosen, address, heading=name_of(service))
    return Step(
        [
            _("%(service)s. Where is it? Send the street address, like 1200 W Madison St.")
            % {"service": name_of(service)}
        ],
        DialogState.ADDRESS,
        data,
    )


# --- Where --------------------------------------------------------------------------------------


def _not_there(data: dict[str, Any], message: str) -> Step:
    """An address that cannot be used. While confirming one, the place read back still stands
    (YES takes it); otherwise the question is where, again."""
    place = data.get("place")
    if place:
        return Step([f"{message} {readback(place)}"], DialogState.CONFIRM, data)
    return Step([message], DialogState.ADDRESS, data)


def where(snapshot: Snapshot, text: str, *, heading: str = "") -> Step:
    data = dict(snapshot.data)
    prefix = f"{heading}. " if heading else ""
    found = places.look_up(text)
    if found.place is None:
        return _not_there(data, prefix + found.problem)
    data["place"] = found.place
    return Step([prefix + readback(found.place)], DialogState.CONFIRM, data)


def address(snapshot: Snapshot, text: str) -> Step:
    """The answer to "where is it?"."""
    return where(snapshot, address_in(text) or text)


def confirm(snapshot: Snapshot, text: str) -> Step:
    command = parse(text).command
    if command is Command.YES:
        return _after_place(snapshot)
    if command is Command.NO or not text.strip():
        # The place read back is wrong: forget it, so that what comes next is the address.
        data = {k: v for k, v in snapshot.data.items() if k != "place"}
        return Step(
            [_("Send a better address, like 1200 W Madison St.")], DialogState.ADDRESS, data
        )
    return address(snapshot, text)


def _service_of(data: dict[str, Any]) -> Service | None:
    return active(str(data.get("service", "")))


def _went_wrong() -> Step:
    return Step(
        [_("Sorry, something went wrong. Reply REPORT to start again.")], DialogState.IDLE, {}
    )


def _after_place(snapshot: Snapshot) -> Step:
    """The place is confirmed: the core's preview says whether to offer an open request of the
    same service nearby (the questions are asked after, so they are not checked yet)."""
    data = dict(snapshot.data)
    service = _service_of(data)
    place = data.get("place")
    if service is None or not place:
        return _went_wrong()
    preview = actions.preview_submission(
        service_code=service.service_code,
        lat=place["lat"],
        long=place["long"],
        address=place["address"],
        declined=str(data.get("declined", "")),
    )
    if preview.offer:
        number = selectors.root_of(preview.offer[0].request).tracking_number
        data.update(nearby=number, offered=preview.offer_key)
        return Step(
            [
                _(
                    "Already reported nearby as %(number)s. Reply FOLLOW to get its updates, "
                    "or NEW to report it anyway."
                )
                % {"number": number}
            ],
            DialogState.DUPLICATE,
            data,
        )
    return _ask(replace(snapshot, data=data), 0)


def duplicate(snapshot: Snapshot, text: str) -> Step:
    command = parse(text).command
    number = str(snapshot.data.get("nearby", ""))
    if command is Command.FOLLOW:
        step = Step([followed_text(number)], DialogState.IDLE, {})
        step.effect = Follow(number, snapshot.dialog_language)
        return step
    if command is Command.NEW:
        declined = {**snapshot.data, "declined": snapshot.data.get("offered", "")}
        return _ask(replace(snapshot, data=declined), 0)
    return Step(
        [
            _("Reply FOLLOW to get updates on %(number)s, or NEW to report it anyway.")
            % {"number": number}
        ],
        DialogState.DUPLICATE,
        snapshot.data,
    )


# --- Questions and description ----------------------------------------------------------------


def _questions(service: Service) -> list[ServiceAttribute]:
    return [a for a in service.attributes.all() if a.variable]


def _ask(snapshot: Snapshot, index: int) -> Step:
    data = {**snapshot.data, "q": index}
    service = _service_of(data)
    questions = _questions(service) if service is not None else []
    if index >= len(questions):
        return Step([_descriptionprompt(data)], DialogState.DESCRIPTION, data)
    return Step(
        [answers.question_text(questions[index], index + 1, len(questions))],
        DialogState.QUESTION,
        data,
    )


def answer(snapshot: Snapshot, text: str, *, now: datetime) -> Step:
    """The answer to question `q`, read the way a person types it (sms/answers.py), then checked
    by the core's rules for answers (catalog.answers), like every channel's."""
    data = dict(snapshot.data)
    service = _service_of(data)
    if service is None:
        return _went_wrong()
    questions = _questions(service)
    index = int(data.get("q", 0))
    if index >= len(questions):
        return _ask(snapshot, index)
    question = questions[index]
    if parse(text).command is Command.SKIP and check_answer(question, None)[1] is None:
        return _ask(snapshot, index + 1)
    value = answers.parse(question, text, language=snapshot.dialog_language, now=now)
    problem = check_answer(question, value)[1] if value is not None else None
    if value is None or problem is not None:
        why = problem.message if problem is not None else answers.problem_text(question)
        asked = answers.question_text(question, index + 1, len(questions))
        return Step([f"{why} {asked}"], DialogState.QUESTION, data)
    data["answers"] = {**data.get("answers", {}), question.code: value}
    return _ask(replace(snapshot, data=data), index + 1)


def _descriptionprompt(data: dict[str, Any]) -> str:
    text = _("Anything to add? Send a short description, or SKIP.")
    if not data.get("media"):
        text += " " + _("A photo helps too.")
    return text


def describe(snapshot: Snapshot, text: str) -> Step:
    data = dict(snapshot.data)
    command = parse(text).command
    if command not in (Command.SKIP, Command.NO, Command.SEND) and text.strip():
        data["description"] = text.strip()
    return submit(replace(snapshot, data=data))


def submit(snapshot: Snapshot) -> Step:
    """The Submit effect for a dialog that has everything; the reply comes after it is stored."""
    data = snapshot.data
    service = _service_of(data)
    place = data.get("place")
    if service is None or not place:
        return _went_wrong()
    description = "\n".join(
        part for part in (str(data.get("text", "")), str(data.get("description", ""))) if part
    )
    step = Step([], DialogState.IDLE, {})
    step.effect = Submit(
        service_code=service.service_code,
        lat=float(place["lat"]),
        long=float(place["long"]),
        address=str(place["address"]),
        answers=dict(data.get("answers", {})),
        description=description,
        media=tuple(Media(url, kind) for url, kind in data.get("media", [])),
        language=snapshot.dialog_language,
        data=dict(data),
    )
    return step


def too_many_text(limit: int) -> str:
    return _("This number has sent %(limit)d reports today, the most we take in a day.") % {
        "limit": limit
    }


def submitted_text(number: str, *, duplicate_of: str = "") -> str:
    if duplicate_of:
        return _(
            "Thank you. It was already reported: your report %(number)s was added to "
            "%(parent)s. We will text you its updates. %(url)s"
        ) % {"number": number, "parent": duplicate_of, "url": tracking_url(duplicate_of)}
    return _(
        "Thank you. Your tracking number is %(number)s. We will text you when it is closed. %(url)s"
    ) % {"number": number, "url": tracking_url(number)}


def not_submitted_text(reasons: Sequence[str]) -> str:
    return (
        _("Sorry, we could not file your report:")
        + " "
        + " ".join(reasons)
        + " "
        + _("Reply SEND to try again.")
    )


# --- Where the dialog stands ----------------------------------------------------------------


def prompt(snapshot: Snapshot) -> str:
    """The question the dialog is waiting on, asked again (after a language switch, a photo)."""
    data, state = snapshot.data, snapshot.state
    if state == DialogState.SERVICE:
        return menu_text(data, intro=False)
    if state == DialogState.ADDRESS:
        return _("Where is it? Send the street address, like 1200 W Madison St.")
    if state == DialogState.CONFIRM and data.get("place"):
        return readback(data["place"])
    if state == DialogState.DUPLICATE:
        return _("Reply FOLLOW to get updates on %(number)s, or NEW to report it anyway.") % {
            "number": data.get("nearby", "")
        }
    if state == DialogState.QUESTION:
        service = _service_of(data)
        questions = _questions(service) if service is not None else []
        index = int(data.get("q", 0))
        if index < len(questions):
            return answers.question_text(questions[index], index + 1, len(questions))
    if state == DialogState.DESCRIPTION:
        return _descriptionprompt(data)
    return ""
