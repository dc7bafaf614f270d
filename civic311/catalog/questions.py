"""A service's questions as a form, for every page that asks them: the resident's report page
and the staff desk. (The text dialog asks them one at a time, sms/answers.py, and checks each
answer with catalog.answers like everyone.)

One field per question a reporter answers, named `attribute[code]` as in Open311, in the
service's order, with its label, hint and choices in the active language. The fields carry what
was typed and nothing more: catalog.answers (through the submission preview) checks the answers,
so every channel says the same thing about the same mistake, and with every other problem at
once. The only conversion is the one a browser needs: a datetime-local value ("2026-05-01T08:15")
is a time in the city's zone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings

from civic311.catalog.answers import Answer
from civic311.catalog.models import Service
from civic311.catalog.translation import translated
from civic311.choices import Datatype
from civic311.lib.errors import Problem

_LOCAL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


def field_name(code: str) -> str:
    return f"attribute[{code}]"


def city_datetime(value: str) -> str:
    """A datetime-local input's value ("2026-05-01T08:15") as a W3C datetime in the city's zone;
    anything else as it was typed (catalog.answers then says what is wrong with it)."""
    value = value.strip()
    if not _LOCAL_DATETIME.match(value):
        return value
    local = datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(settings.CITY_TIME_ZONE))
    return local.isoformat()


@dataclass(frozen=True)
class Question:
    """One of a service's questions in the reader's language."""

    code: str
    label: str
    hint: str
    datatype: str
    required: bool
    # False for a note shown among the questions, with nothing to answer.
    variable: bool
    choices: tuple[tuple[str, str], ...]  # (key, name) of a list question

    @property
    def name(self) -> str:
        return field_name(self.code)

    @property
    def input_id(self) -> str:
        return f"q-{self.code}"


@dataclass(frozen=True)
class Asked(Question):
    """A question with what was typed for it and what is wrong with that."""

    values: tuple[str, ...] = ()
    error: str = ""

    @property
    def value(self) -> str:
        return self.values[0] if self.values else ""


def questions_of(service: Service) -> list[Question]:
    """Every question of the service, in its order. Expects `service.attributes` prefetched with
    their values (the catalogue cache does)."""
    return [
        Question(
            code=attribute.code,
            label=translated(attribute, "description"),
            hint=translated(attribute, "datatype_description"),
            datatype=attribute.datatype,
            required=attribute.required,
            variable=attribute.variable,
            choices=tuple((v.key, translated(v, "name")) for v in attribute.values.all()),
        )
        for attribute in service.attributes.all()
    ]


class _Choice(forms.ChoiceField):
    def validate(self, value: Any) -> None:
        """Not here: catalog.answers says when a key is not one of the choices."""


class _Choices(forms.MultipleChoiceField):
    def validate(self, value: Any) -> None:
        """Not here: catalog.answers says when a key is not one of the choices."""


class _CityDateTime(forms.CharField):
    def to_python(self, value: Any) -> str:
        return city_datetime(str(super().to_python(value)))


def question_field(question: Question) -> forms.Field:
    """The form field of a question. Never required here: the answers' check says what is
    missing, with every other problem; `QuestionForm.required_names` marks them."""
    common: dict[str, Any] = {
        "label": question.label,
        "help_text": question.hint,
        "required": False,
    }
    attrs = {"id": question.input_id}
    if question.datatype == Datatype.SINGLEVALUELIST:
        choices = [("", "—"), *question.choices]
        return _Choice(choices=choices, widget=forms.Select(attrs), **common)
    if question.datatype == Datatype.MULTIVALUELIST:
        widget = forms.CheckboxSelectMultiple(attrs)
        return _Choices(choices=question.choices, widget=widget, **common)
    if question.datatype == Datatype.DATETIME:
        local = forms.DateTimeInput({**attrs, "type": "datetime-local"})
        return _CityDateTime(widget=local, **common)
    text: forms.Widget = forms.TextInput(attrs)
    if question.datatype == Datatype.NUMBER:
        text = forms.TextInput({**attrs, "inputmode": "decimal"})
    elif question.datatype == Datatype.TEXT:
        text = forms.Textarea({**attrs, "rows": 3})
    return forms.CharField(widget=text, **common)


class QuestionForm(forms.Form):
    """The questions of one service. A page adds its own fields by subclassing (the desk) or
    uses it beside its own (the resident's report page)."""

    def __init__(self, service: Service, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.questions = questions_of(service)
        for question in self.questions:
            if question.variable:
                self.fields[question.name] = question_field(question)

    @property
    def question_names(self) -> list[str]:
        return [q.name for q in self.questions if q.variable]

    @property
    def required_names(self) -> list[str]:
        return [q.name for q in self.questions if q.variable and q.required]

    def asked(self) -> list[Asked]:
        """Every question (notes included, in order) with what was typed and its error."""
        asked = []
        for question in self.questions:
            values: tuple[str, ...] = ()
            error = ""
            if question.variable:
                typed = self[question.name].value()
                listed = typed if isinstance(typed, list | tuple) else [typed]
                values = tuple(str(v) for v in listed if v is not None and str(v).strip())
                error = " ".join(str(e) for e in self.errors.get(question.name, []))
            asked.append(Asked(**vars(question), values=values, error=error))
        return asked

    def answers(self) -> dict[str, Answer]:
        """The answers given, as catalog.answers takes them. Call after is_valid()."""
        answers: dict[str, Answer] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.name) if question.variable else None
            if value:
                answers[question.code] = value
        return answers

    def add_problems(self, problems: Iterable[Problem]) -> list[Problem]:
        """Put each problem about a question on its field; return the others."""
        others = []
        for problem in problems:
            if problem.field in self.question_names:
                self.add_error(problem.field, problem.message)
            else:
                others.append(problem)
        return others
