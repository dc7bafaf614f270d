"""Fixtures for the API tests: keys for an app developer, a back office, and schema checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMAS = Path(__file__).parent / "schemas"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text())
        resources.append(
            (path.name, Resource.from_contents(contents, default_specification=DRAFT4))
        )
    return Registry().with_resources(resources)


REGISTRY = _registry()


def assert_valid(document: Any, schema_name: str) -> None:
    """Checks a JSON document against one of the Open311 schemas (services, service,
    service-definition, requests, request)."""
    schema = json.loads((SCHEMAS / f"{schema_name}.json").read_text())
    errors = sorted(Draft4Validator(schema, registry=REGISTRY).iter_errors(document), key=str)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def parse_xml(content: bytes) -> ElementTree.Element:
    assert content.startswith(b'<?xml version="1.0" encoding="utf-8"?>'), content[:60]
    root = ElementTree.fromstring(content)  # noqa: S314 (our own server's output)
    assert "}" not in root.tag, "no namespaces"
    return root


@pytest.fixture
def api(client: Client) -> Client:
    return client
