"""The demo city's departments and services, read from data/catalog.yaml (and their Spanish from
data/catalog_es.yaml).

Service codes and names are Chicago's real Open311 codes (shared/data/open311/services/
chicago_service_codes_2023.json, looked up by key), starting with the 14 most requested types
Chicago opened to Open311 in 2012. Questions, service levels and duplicate policies are
realistic but ours: Chicago does not publish its service definitions in that file. They are
data, not code, so a city editing its own starting catalogue edits YAML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from civic311.choices import Datatype, DuplicatePolicy, Priority

DATA = Path(__file__).parent / "data"
CODES_FILE = DATA / "chicago_service_codes_2023.json"


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    datatype: str
    required: bool = False
    values: tuple[tuple[str, str], ...] = ()
    datatype_description: str = ""


@dataclass(frozen=True)
class DemoService:
    key: str  # chicagorequests_key in the codes file
    group: str
    department: str
    description: str
    keywords: str
    sla_days: float | None
    duplicates: str = DuplicatePolicy.OFF
    radius_m: int = 50
    priority: str = Priority.NORMAL
    questions: tuple[Question, ...] = field(default=())
    weight: int = 1  # relative frequency in the sample requests


def _question(raw: dict[str, Any]) -> Question:
    values = raw.pop("values", {})
    question = Question(**raw, values=tuple((str(k), str(v)) for k, v in values.items()))
    if question.datatype not in Datatype.values:
        raise ValueError(f"catalog.yaml: question {question.code}: datatype {question.datatype}")
    return question


def _service(raw: dict[str, Any]) -> DemoService:
    questions = tuple(_question(dict(q)) for q in raw.pop("questions", []))
    service = DemoService(**raw, questions=questions)
    if service.duplicates not in DuplicatePolicy.values or service.priority not in Priority.values:
        raise ValueError(f"catalog.yaml: service {service.key}: duplicates or priority")
    return service


@cache
def _catalogue() -> dict[str, Any]:
    with (DATA / "catalog.yaml").open(encoding="utf-8") as source:
        return dict(yaml.safe_load(source))


DEPARTMENTS: list[tuple[str, str, str]] = [
    (d["code"], d["name"], d["email"]) for d in _catalogue()["departments"]
]
SERVICES: list[DemoService] = [_service(dict(s)) for s in _catalogue()["services"]]


def chicago_codes() -> dict[str, dict[str, str]]:
    """Chicago's real service codes and names, by key."""
    rows = json.loads(CODES_FILE.read_text(encoding="utf-8"))
    return {row["chicagorequests_key"]: row for row in rows}


@cache
def _spanish() -> dict[str, str]:
    with (DATA / "catalog_es.yaml").open(encoding="utf-8") as source:
        return {str(k): str(v) for k, v in yaml.safe_load(source).items()}


def spanish(**fields: str) -> dict[str, dict[str, str]]:
    """`translations` for a catalogue object: {"es": {field: Spanish text}} for every field whose
    English text has one."""
    table = _spanish()
    found = {name: table[text] for name, text in fields.items() if text in table}
    return {"es": found} if found else {}
