"""Answers are checked against the service definition, for all six Open311 datatypes."""

from __future__ import annotations

import pytest

from civic311.catalog.answers import parse_w3c_datetime, validate_answers
from civic311.catalog.models import Service
from civic311.testing import Services

pytestmark = pytest.mark.django_db


def graffiti(services: Services) -> Service:
    return Service.objects.prefetch_related("attributes__values").get(pk=services.graffiti.pk)


def check(services: Services, **answers: object) -> tuple[dict[str, object], set[tuple[str, str]]]:
    normalised, problems = validate_answers(graffiti(services), answers)  # type: ignore[arg-type]
    return normalised, {(p.code, p.field) for p in problems}


def test_a_complete_set_of_answers_passes(services: Services) -> None:
    answers, problems = check(
        services,
        surface=["glass"],
        offensive="yes",
        seen_at="2026-03-01T21:05:00Z",
        where_on_building="by the door",
        details="Long\ntext",
    )
    assert problems == set()
    assert answers["seen_at"] == "2026-03-01T21:05:00+00:00"


def test_an_empty_answer_counts_as_no_answer(services: Services) -> None:
    _, problems = check(services, surface="", offensive="")
    assert problems == {("attribute.required", "attribute[surface]")}


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ({"surface": "marble"}, ("attribute.not_in_list", "attribute[surface]")),
        (
            {"surface": "brick", "offensive": ["yes", "no"]},
            ("attribute.one_value", "attribute[offensive]"),
        ),
        (
            {"surface": "brick", "seen_at": "2026-03-01 21:05"},
            ("attribute.not_a_datetime", "attribute[seen_at]"),
        ),
        (
            {"surface": "brick", "where_on_building": "x" * 256},
            ("attribute.too_long", "attribute[where_on_building]"),
        ),
        ({"surface": "brick", "details": "x" * 4001}, ("attribute.too_long", "attribute[details]")),
        ({"surface": "brick", "colour": "red"}, ("attribute.unknown", "attribute[colour]")),
    ],
)
def test_each_kind_of_wrong_answer_is_named(
    services: Services, answers: dict[str, object], problem: tuple[str, str]
) -> None:
    _, problems = check(services, **answers)
    assert problems == {problem}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), ("-3.5", -3.5), ("1e3", 1000), ("NaN", None), ("1e400", None), ("twelve", None)],
)
def test_numbers(services: Services, raw: str, expected: object) -> None:
    service = Service.objects.prefetch_related("attributes__values").get(pk=services.pothole.pk)
    answers, problems = validate_answers(service, {"location": "street", "depth_cm": raw})
    assert answers.get("depth_cm") == expected
    assert bool(problems) is (expected is None)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2026-05-01T08:15:30-05:00", True),
        ("2026-05-01T13:15:30Z", True),
        ("2026-05-01T08:15:30", False),  # no offset: a 400, not a guess
        ("2026-05-01", False),
        ("May 1st", False),
    ],
)
def test_datetimes_need_an_offset(text: str, ok: bool) -> None:
    assert (parse_w3c_datetime(text) is not None) is ok
