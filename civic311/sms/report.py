"""The report dialog: from a problem in words (or REPORT) to the Submit effect.

    service --number, or recognised words--> address --geocoded--> confirm --YES-->
    [duplicate --NEW-->] question 1..n --> description --text / SKIP--> Submit
    duplicate --FOLLOW--> Follow

Each function takes the phone's Snapshot and the text, and returns the Step; it only reads
(the catalogue, the geocoder, requests nearby). Replies are in the active language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from civic311.catalog.cache import catalog
from civic311.catalog.models import Service, ServiceAttribute
from civic311.catalog.translation import translated
from civic311.choices import AreaKind, DuplicatePolicy
from civic311.geo.geocoders import GeocoderUnavailable, get_geocoder
from civic311.geo.locator import locate
from civic311.geo.models import Area
from civic311.messaging.models import DialogState
from civic311.messaging.provider import Media
from civic311.service_requests import selectors
from civic311.service_requests.tracking import tracking_url
from civic311.sms import answers
from civic311.sms.keywords import Command, fold, parse
from civic311.sms.steps import Follow, Snapshot, Step, Submit

MENU_PAGE = 9


def _catalogue() -> list[Service]:
    """Every service, in the order residents see them (group, then name)."""
    return sorted(catalog.all_services(), key=lambda s: (s.group, s.service_name, s.pk))


def followed_text(number: str) -> str:
    return _("You will get a text when %(number)s is closed or reopened. Reply STOP to end.") % {
        "number": number
    }


# --- Starting a report -------------------------------------------------------------------------

_STOP_WORDS = frozenset(
    [
        "A",
        "AN",
        "THE",
        "IN",
        "ON",
        "AT",
        "OF",
        "AND",
        "OR",
        "OUT",
        "BY",
        "FOR",
        "TO",
        "IS",
        "ARE",
        "THERE",
        "HERE",
        "MY",
        "OUR",
        "NEAR",
        "STREET",
        "REQUEST",
        "REMOVAL",
        "INSPECTION",
        "COMPLAINT",
        "SERVICE",
        "EN",
        "EL",
        "LA",
        "LOS",
        "LAS",
        "UN",
        "UNA",
        "DE",
        "DEL",
        "HAY",
        "CALLE",
        "MI",
        "CERCA",
        "Y",
    ]
)
_SPANISH_HINTS = frozenset(
    [
        "EN",
        "EL",
        "LA",
        "LOS",
        "LAS",
        "UN",
        "UNA",
        "DEL",
        "HAY",
        "CALLE",
        "CERCA",
        "ESQUINA",
        "FRENTE",
        "HOLA",
    ]
)
_ENGLISH_HINTS = frozenset(
    ["AT", "THE", "ON", "IN", "THERE", "IS", "A", "AN", "NEAR", "CORNER", "HI", "HELLO"]
)


def _tokens(text: str) -> list[str]:
    words = re.findall(r"[A-Z0-9]+", fold(text))
    return [w[:-1] if len(w) > 3 and w.endswith("S") and not w.endswith("SS") else w for w in words]


def guess_language(text: str) -> str:
    """ "es" or "en" when the words of a free text say so; "" when they do not."""
    words = set(_tokens(text))
    spanish, english = len(words & _SPANISH_HINTS), len(words & _ENGLISH_HINTS)
    if spanish > english:
        return "es"
    if english > spanish:
        return "en"
    return ""


def name_of(service: Service) -> str:
    """The service's name in the active language (the catalogue's translation, if any)."""
    return translated(service, "service_name")


def _languages(service: Service) -> list[dict[str, str]]:
    texts = service.translations if isinstance(service.translations, dict) else {}
    return [t for t in texts.values() if isinstance(t, dict)]


def recognise(text: str) -> list[Service]:
    """The services a free text names, best first: several when it is not clear which."""
    words = set(_tokens(text))
    if not words:
        return []
    scores: dict[str, int] = {}
    services = [s for s in _catalogue() if s.active]
    for service in services:
        score = 0
        for phrase in service.keyword_list:
            tokens = _tokens(phrase)
            if tokens and all(t in words for t in tokens):
                score += 2 * len(tokens)
        names = {service.service_name, *(t.get("service_name", "") for t in _languages(service))}
        for token in {t for name in names for t in _tokens(name)}:
            if len(token) > 3 and token not in _STOP_WORDS and token in words:
                score += 1
        if score:
            scores[service.service_code] = score
    if not scores:
        return []
    best = max(scores.values())
    return [s for s in services if scores.get(s.service_code) == best]


_AT = re.compile(
    r"(?:^|\s)(?:at|on|near|by|en|cerca de|frente a|frente al|@)\s+(?P<address>\d.*)$",
    re.IGNORECASE,
)
_HOUSE = re.compile(r"(?:^|\s)(?P<address>\d{1,6}\s+(?:[NSEW]\.?\s+)?[A-Za-z].*)$", re.IGNORECASE)


def address_in(text: str) -> str:
    """The address part of "pothole at 1200 W Madison" ("1200 W Madison"), if any."""
    match = _AT.search(text) or _HOUSE.search(text)
    return match.group("address").strip(" .,!") if match else ""


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
        step = Step([_menu_text(data, intro=not found)], DialogState.SERVICE, data)
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


def _menu_services(data: dict[str, Any]) -> list[Service]:
    codes = data.get("menu") or []
    everything = [s for s in _catalogue() if s.active]
    if codes:
        chosen = [catalog.service(c) for c in codes]
        return [s for s in chosen if s is not None]
    return everything


def _menu_text(data: dict[str, Any], *, intro: bool) -> str:
    services = _menu_services(data)
    page = int(data.get("page", 0))
    start = page * MENU_PAGE
    shown = services[start : start + MENU_PAGE]
    items = ", ".join(f"{start + i} {name_of(s)}" for i, s in enumerate(shown, 1))
    text = _("What is the problem? Reply with its number:") + " " + items + "."
    if start + MENU_PAGE < len(services):
        text += " " + _("0 for more.")
    if intro:
        text = _("City 311 by text.") + " " + text
    return text


def choose_service(snapshot: Snapshot, text: str) -> Step:
    data = dict(snapshot.data)
    services = _menu_services(data)
    choice = text.strip().rstrip(".")
    if choice == "0" or fold(choice) in ("MORE", "MAS"):
        pages = (len(services) + MENU_PAGE - 1) // MENU_PAGE
        data["page"] = (int(data.get("page", 0)) + 1) % max(pages, 1)
        return Step([_menu_text(data, intro=False)], DialogState.SERVICE, data)
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
        [_("Please reply with one of the numbers.") + " " + _menu_text(data, intro=False)],
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


def _area_name(code: str) -> str:
    if not code:
        return ""
    name = (
        Area.objects.filter(kind=AreaKind.COMMUNITY_AREA, code=code)
        .values_list("name", flat=True)
        .first()
    )
    return name or ""


def readback(place: dict[str, Any]) -> str:
    shown = f"{place['address']}, {place['area']}" if place.get("area") else place["address"]
    return _("%(place)s - reply YES, or send a better address.") % {"place": shown}


def _not_there(data: dict[str, Any], message: str) -> Step:
    """An address that cannot be used. While confirming one, the place read back still stands
    (YES takes it); otherwise the question is where, again."""
    place = data.get("place")
    if place:
        return Step([f"{message} {readback(place)}"], DialogState.CONFIRM, data)
    return Step([message], DialogState.ADDRESS, data)


def where(snapshot: Snapshot, text: str, *, heading: str = "") -> Step:
    data = dict(snapshot.data)
    typed = text.strip()[:200]
    prefix = f"{heading}. " if heading else ""
    try:
        found = get_geocoder().geocode(typed) if typed else None
    except GeocoderUnavailable:
        return _not_there(
            data,
            prefix
            + _(
                "Address lookup is down for a moment. Please send the address again in a few "
                "minutes."
            ),
        )
    if found is None:
        return _not_there(
            data,
            prefix
            + _(
                "We could not find “%(address)s”. Send the number and street, like 1200 W "
                "Madison St."
            )
            % {"address": typed[:60]},
        )
    location = locate(found.lat, found.long)
    if not location.inside_city:
        return _not_there(
            data,
            prefix
            + _("%(address)s is outside the city. Send an address in the city.")
            % {"address": found.address},
        )
    data["place"] = {
        "address": found.address,
        "lat": found.lat,
        "long": found.long,
        "area": _area_name(location.community_area),
    }
    return Step([prefix + readback(data["place"])], DialogState.CONFIRM, data)


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
    service = catalog.service(str(data.get("service", "")))
    return service if service is not None and service.active else None


def _after_place(snapshot: Snapshot) -> Step:
    data = dict(snapshot.data)
    service = _service_of(data)
    place = data.get("place")
    if service is None or not place:
        return Step(
            [_("Sorry, something went wrong. Reply REPORT to start again.")], DialogState.IDLE, {}
        )
    if service.duplicate_policy != DuplicatePolicy.OFF and not data.get("new"):
        nearby = selectors.open_requests_nearby(
            lat=place["lat"],
            long=place["long"],
            radius_m=service.duplicate_radius_m,
            service=service,
            limit=1,
        )
        if nearby:
            number = selectors.root_of(nearby[0].request).tracking_number
            data["nearby"] = number
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
        return _ask(replace(snapshot, data={**snapshot.data, "new": True}), 0)
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
    data = dict(snapshot.data)
    service = _service_of(data)
    if service is None:
        return Step(
            [_("Sorry, something went wrong. Reply REPORT to start again.")], DialogState.IDLE, {}
        )
    questions = _questions(service)
    index = int(data.get("q", 0))
    if index >= len(questions):
        return _ask(snapshot, index)
    question = questions[index]
    if parse(text).command is Command.SKIP and not question.required:
        return _ask(snapshot, index + 1)
    value = answers.parse(question, text, language=snapshot.dialog_language, now=now)
    if value is None:
        return Step(
            [
                answers.problem_text(question)
                + " "
                + answers.question_text(question, index + 1, len(questions))
            ],
            DialogState.QUESTION,
            data,
        )
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
        return Step(
            [_("Sorry, something went wrong. Reply REPORT to start again.")], DialogState.IDLE, {}
        )
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
        return _menu_text(data, intro=False)
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
