"""Which service a text is about: recognised from its words (the service's names in every
language and its keywords, editable in the admin), or chosen from a numbered menu."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from civic311.catalog.cache import catalog
from civic311.catalog.models import Service
from civic311.catalog.translation import translated
from civic311.sms.language import SPANISH_SMALL_WORDS, tokens

MENU_PAGE = 9

# Words of a service's name that say nothing about which service it is.
_STOP_WORDS = SPANISH_SMALL_WORDS | {
    *("A", "AN", "THE", "IN", "ON", "AT", "OF", "AND", "OR", "OUT", "BY", "FOR", "TO", "IS"),
    *("ARE", "THERE", "HERE", "MY", "OUR", "NEAR", "STREET", "REQUEST", "REMOVAL"),
    *("INSPECTION", "COMPLAINT", "SERVICE", "DE", "MI", "Y"),
}


def _catalogue() -> list[Service]:
    """Every service, in the order residents see them (group, then name)."""
    return sorted(catalog.all_services(), key=lambda s: (s.group, s.service_name, s.pk))


def name_of(service: Service) -> str:
    """The service's name in the active language (the catalogue's translation, if any)."""
    return translated(service, "service_name")


def active(code: str) -> Service | None:
    service = catalog.service(code)
    return service if service is not None and service.active else None


def _languages(service: Service) -> list[dict[str, str]]:
    texts = service.translations if isinstance(service.translations, dict) else {}
    return [t for t in texts.values() if isinstance(t, dict)]


def _score(service: Service, words: set[str]) -> int:
    score = 0
    for phrase in service.keyword_list:
        phrase_tokens = tokens(phrase)
        if phrase_tokens and all(t in words for t in phrase_tokens):
            score += 2 * len(phrase_tokens)
    names = {service.service_name, *(t.get("service_name", "") for t in _languages(service))}
    for token in {t for name in names for t in tokens(name)}:
        if len(token) > 3 and token not in _STOP_WORDS and token in words:
            score += 1
    return score


def recognise(text: str) -> list[Service]:
    """The services a free text names, best first: several when it is not clear which."""
    words = set(tokens(text))
    if not words:
        return []
    services = [s for s in _catalogue() if s.active]
    scores = {s.service_code: score for s in services if (score := _score(s, words))}
    if not scores:
        return []
    best = max(scores.values())
    return [s for s in services if scores.get(s.service_code) == best]


def menu_services(data: dict[str, Any]) -> list[Service]:
    """The services of the menu: the ones a text could mean, or all of them."""
    codes = data.get("menu") or []
    if codes:
        chosen = [catalog.service(c) for c in codes]
        return [s for s in chosen if s is not None]
    return [s for s in _catalogue() if s.active]


def next_menu_page(data: dict[str, Any]) -> dict[str, Any]:
    """The dialog's data with the menu's next page shown (after the last, the first)."""
    pages = (len(menu_services(data)) + MENU_PAGE - 1) // MENU_PAGE
    return {**data, "page": (int(data.get("page", 0)) + 1) % max(pages, 1)}


def menu_text(data: dict[str, Any], *, intro: bool) -> str:
    services = menu_services(data)
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
