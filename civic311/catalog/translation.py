"""The catalogue in the reader's language: a service's name, a question, an answer.

Each catalogue model keeps its other languages in `translations` ({"es": {"service_name": …}});
a text missing there falls back to the default language's field, so a half-translated catalogue
still reads whole."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def translated(obj: Any, field: str, language: str | None = None) -> str:
    """`obj.<field>` in `language` (the active one by default)."""
    language = (language or get_language() or "").split("-")[0].lower()
    texts = getattr(obj, "translations", None)
    if language and isinstance(texts, dict):
        localized = texts.get(language)
        if isinstance(localized, dict):
            text = localized.get(field)
            if isinstance(text, str) and text.strip():
                return text
    return str(getattr(obj, field))
