"""Checking a resident's answers against a service definition (the six Open311 datatypes)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from civic311.catalog.models import Service, ServiceAttribute
from civic311.catalog.translation import translated
from civic311.choices import Datatype
from civic311.lib.errors import Problem

Answer = str | Sequence[str]
Normalised = str | int | float | list[str]

MAX_STRING = 255
MAX_TEXT = 4000


def parse_w3c_datetime(value: str) -> datetime | None:
    """An ISO 8601 / W3C datetime that carries an offset; None for anything else (no guessing)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None or "T" not in text.upper():
        return None
    return parsed


def _field(attribute: ServiceAttribute) -> str:
    return f"attribute[{attribute.code}]"


def _present(raw: Answer | None) -> list[str]:
    """The non-empty values sent (an empty value behaves as one not sent)."""
    if raw is None:
        return []
    values = [raw] if isinstance(raw, str) else list(raw)
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _number(attribute: ServiceAttribute, value: str) -> tuple[Normalised | None, Problem | None]:
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        return None, Problem(
            "attribute.not_a_number",
            _field(attribute),
            _("“%(value)s” is not a number.") % {"value": value[:50]},
        )
    as_float = float(number)
    if not math.isfinite(as_float) or abs(as_float) > 1e15:
        return None, Problem(
            "attribute.out_of_range", _field(attribute), _("This number is too large.")
        )
    return (int(number) if number == number.to_integral_value() else as_float), None


def _one(attribute: ServiceAttribute, value: str) -> tuple[Normalised | None, Problem | None]:
    datatype = attribute.datatype
    field = _field(attribute)
    if datatype == Datatype.NUMBER:
        return _number(attribute, value)
    if datatype == Datatype.DATETIME:
        parsed = parse_w3c_datetime(value)
        if parsed is None:
            return None, Problem(
                "attribute.not_a_datetime",
                field,
                _("Give a date and time with its offset, e.g. 2026-05-01T08:15:00-05:00."),
            )
        return parsed.isoformat(), None
    if datatype == Datatype.STRING and len(value) > MAX_STRING:
        return None, Problem(
            "attribute.too_long",
            field,
            _("At most %(limit)d characters.") % {"limit": MAX_STRING},
        )
    if datatype == Datatype.TEXT and len(value) > MAX_TEXT:
        return None, Problem(
            "attribute.too_long", field, _("At most %(limit)d characters.") % {"limit": MAX_TEXT}
        )
    if datatype == Datatype.SINGLEVALUELIST:
        keys = {v.key for v in attribute.values.all()}
        if value not in keys:
            return None, Problem(
                "attribute.not_in_list",
                field,
                _("“%(value)s” is not one of the choices.") % {"value": value[:50]},
            )
    return value, None


def check_answer(
    attribute: ServiceAttribute, raw: Answer | None
) -> tuple[Normalised | None, Problem | None]:
    """One question's answer, normalised, or the problem with it; (None, None) when it is not
    answered and need not be. Every channel's answers go through here (the text dialog one
    question at a time, the others through validate_answers)."""
    values = _present(raw)
    if not values:
        if not attribute.required:
            return None, None
        return None, Problem(
            "attribute.required",
            _field(attribute),
            _("Please answer: %(question)s") % {"question": translated(attribute, "description")},
        )
    if attribute.datatype == Datatype.MULTIVALUELIST:
        keys = {v.key for v in attribute.values.all()}
        unknown = [v for v in values if v not in keys]
        if unknown:
            return None, Problem(
                "attribute.not_in_list",
                _field(attribute),
                _("“%(value)s” is not one of the choices.") % {"value": unknown[0][:50]},
            )
        return list(dict.fromkeys(values)), None
    if len(values) > 1:
        return None, Problem("attribute.one_value", _field(attribute), _("Give only one answer."))
    return _one(attribute, values[0])


def validate_answers(
    service: Service, raw: Mapping[str, Answer]
) -> tuple[dict[str, Normalised], list[Problem]]:
    """The answers normalised (numbers as numbers, datetimes in ISO form, list keys checked)
    and every problem found. Expects `service.attributes` prefetched with their values."""
    attributes = {a.code: a for a in service.attributes.all() if a.variable}
    answers: dict[str, Normalised] = {}
    problems: list[Problem] = [
        Problem(
            "attribute.unknown",
            f"attribute[{code}]",
            _("This service has no question “%(code)s”.") % {"code": code[:50]},
        )
        for code in raw
        if code not in attributes and _present(raw[code])
    ]
    for code, attribute in attributes.items():
        value, problem = check_answer(attribute, raw.get(code))
        if problem is not None:
            problems.append(problem)
        elif value is not None:
            answers[code] = value
    return answers, problems
