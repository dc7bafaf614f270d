"""catalog.questions: a service's questions as one form, for the resident's page and the staff
desk alike: a field per datatype, in the service's order, required ones marked, labels in the
reader's language; what was typed is checked by catalog.answers, never by the form itself."""

from __future__ import annotations

import pytest
from django import forms
from django.http import QueryDict
from django.utils import translation

from civic311.catalog.answers import validate_answers
from civic311.catalog.models import AttributeValue, ServiceAttribute
from civic311.catalog.questions import QuestionForm
from civic311.choices import Datatype
from civic311.testing import Services, add_question

pytestmark = pytest.mark.django_db


def posted(**values: str | list[str]) -> QueryDict:
    data = QueryDict(mutable=True)
    for code, value in values.items():
        data.setlist(f"attribute[{code}]", value if isinstance(value, list) else [value])
    return data


@pytest.fixture
def in_spanish(services: Services) -> None:
    graffiti = services.graffiti
    ServiceAttribute.objects.filter(service=graffiti, code="surface").update(
        translations={"es": {"description": "¿Sobre qué superficie?"}},
        datatype_description="Pick every one that applies.",
    )
    ServiceAttribute.objects.filter(service=graffiti, code="seen_at").update(
        translations={"es": {"description": "¿Cuándo lo vio?", "datatype_description": "Fecha"}}
    )
    brick = AttributeValue.objects.get(attribute__service=graffiti, key="brick")
    brick.translations = {"es": {"name": "Ladrillo"}}
    brick.save()


def test_each_datatype_gets_its_own_kind_of_field(services: Services) -> None:
    add_question(services.graffiti, "count", Datatype.NUMBER, order=6)
    form = QuestionForm(services.graffiti)

    fields = form.fields
    assert isinstance(fields["attribute[surface]"], forms.MultipleChoiceField)
    assert isinstance(fields["attribute[surface]"].widget, forms.CheckboxSelectMultiple)
    assert isinstance(fields["attribute[offensive]"], forms.ChoiceField)
    assert isinstance(fields["attribute[offensive]"].widget, forms.Select)
    assert fields["attribute[seen_at]"].widget.input_type == "datetime-local"
    assert fields["attribute[where_on_building]"].widget.input_type == "text"
    assert isinstance(fields["attribute[details]"].widget, forms.Textarea)
    assert fields["attribute[count]"].widget.attrs["inputmode"] == "decimal"


def test_the_fields_follow_the_services_order_and_keep_their_choices(services: Services) -> None:
    form = QuestionForm(services.graffiti)

    assert form.question_names == [
        "attribute[surface]",
        "attribute[offensive]",
        "attribute[seen_at]",
        "attribute[where_on_building]",
        "attribute[details]",
    ]
    assert list(form.fields["attribute[surface]"].choices) == [  # type: ignore[attr-defined]
        ("brick", "Brick"),
        ("metal", "Metal"),
        ("glass", "Glass"),
    ]
    offensive = list(form.fields["attribute[offensive]"].choices)  # type: ignore[attr-defined]
    assert offensive == [("", "—"), ("yes", "Yes"), ("no", "No")]


def test_required_questions_are_marked_but_left_to_the_answers_check(services: Services) -> None:
    form = QuestionForm(services.graffiti, posted())

    assert form.required_names == ["attribute[surface]"]
    assert not any(field.required for field in form.fields.values())
    assert form.is_valid() and form.answers() == {}
    _answers, problems = validate_answers(services.graffiti, form.answers())
    assert form.add_problems(problems) == []
    assert form.errors["attribute[surface]"] == ["Please answer: Question surface?"]
    (surface,) = [q for q in form.asked() if q.code == "surface"]
    assert surface.required and surface.error == "Please answer: Question surface?"


def test_what_is_typed_comes_back_as_answers_datetimes_in_the_citys_zone(
    services: Services,
) -> None:
    form = QuestionForm(
        services.graffiti,
        posted(
            surface=["brick", "glass"],
            offensive="no",
            seen_at="2026-11-29T18:30",
            where_on_building=" back wall ",
            details="Big letters.",
        ),
    )

    assert form.is_valid()
    answers = form.answers()
    assert answers == {
        "surface": ["brick", "glass"],
        "offensive": "no",
        "seen_at": "2026-11-29T18:30:00-06:00",
        "where_on_building": "back wall",
        "details": "Big letters.",
    }
    assert validate_answers(services.graffiti, answers)[1] == []


def test_a_wrong_answer_passes_the_form_and_is_refused_in_the_answers_words(
    services: Services,
) -> None:
    form = QuestionForm(services.pothole, posted(location="roof", depth_cm="deep"))

    assert form.is_valid()
    _answers, problems = validate_answers(services.pothole, form.answers())
    form.add_problems(problems)
    assert form.errors["attribute[location]"] == ["“roof” is not one of the choices."]
    assert form.errors["attribute[depth_cm]"] == ["“deep” is not a number."]
    asked = {q.code: q for q in form.asked()}
    assert asked["depth_cm"].value == "deep"  # what was typed is shown back
    assert asked["location"].values == ("roof",)


def test_problems_about_other_fields_are_handed_back(services: Services) -> None:
    from civic311.lib.errors import Problem

    form = QuestionForm(services.pothole, posted())
    form.is_valid()
    other = Problem("contact.email_invalid", "email", "This is not an email address.")

    assert form.add_problems([other]) == [other]


def test_a_note_among_the_questions_is_shown_but_asks_nothing(services: Services) -> None:
    note = add_question(services.graffiti, "warning", Datatype.STRING, order=0)
    note.variable = False
    note.save()

    form = QuestionForm(services.graffiti)

    assert "attribute[warning]" not in form.fields
    first = form.asked()[0]
    assert (first.code, first.variable, first.label) == ("warning", False, "Question warning?")


def test_labels_hints_and_choices_are_in_the_readers_language(
    services: Services, in_spanish: None
) -> None:
    with translation.override("es"):
        form = QuestionForm(services.graffiti)
        _answers, problems = validate_answers(services.graffiti, {})

    surface = form.fields["attribute[surface]"]
    assert surface.label == "¿Sobre qué superficie?"
    assert surface.help_text == "Pick every one that applies."  # no Spanish: the default's
    assert ("brick", "Ladrillo") in list(surface.choices)  # type: ignore[attr-defined]
    assert ("metal", "Metal") in list(surface.choices)  # type: ignore[attr-defined]
    seen_at = {q.code: q for q in form.asked()}["seen_at"]
    assert (seen_at.label, seen_at.hint) == ("¿Cuándo lo vio?", "Fecha")
    assert "¿Sobre qué superficie?" in problems[0].message

    with translation.override("en"):
        assert QuestionForm(services.graffiti).fields["attribute[surface]"].label == (
            "Question surface?"
        )
