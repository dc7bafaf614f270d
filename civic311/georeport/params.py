"""Reading GeoReport parameters: every problem is collected, an empty parameter is the same as
one not sent, and nothing is guessed (a datetime without an offset is an error)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import QueryDict

from civic311.lib.errors import Problem
from civic311.service_requests.filter_fields import Moment, problems

_ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


def attribute_answers(data: QueryDict) -> dict[str, list[str]]:
    """`attribute[CODE]=v` and `attribute[CODE][]=v` (repeatable) as CODE -> values."""
    answers: dict[str, list[str]] = {}
    for key in data:
        match = _ATTRIBUTE.match(key)
        if match:
            answers.setdefault(match.group(1), []).extend(data.getlist(key))
    return answers


@dataclass
class Reader:
    """Parameters read one at a time, every problem kept (the lists read theirs through the
    filter layer, service_requests/filters.py, whose fields these are)."""

    params: Mapping[str, str]
    problems: list[Problem] = field(default_factory=list)

    def datetime(self, name: str) -> datetime | None:
        raw = self.params.get(name)
        if raw is None:
            return None
        try:
            parsed: datetime | None = Moment(required=False).clean(raw)
        except ValidationError as error:
            self.problems += problems(name, error)
            return None
        return parsed
