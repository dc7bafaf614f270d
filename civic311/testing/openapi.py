"""Checking API answers against the OpenAPI document (civic311/georeport/openapi.yaml), for the
tests of every call it documents: GeoReport's and its extensions' (webhooks)."""

from __future__ import annotations

from typing import Any

import orjson
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from civic311.georeport.apidocs import document

URI = "urn:civic311:openapi"


# --- The document as JSON Schema ----------------------------------------------------------------


def as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schemas are JSON Schema with a few differences; the one that matters here is
    `nullable: true`, which JSON Schema spells as a type list. Local `$ref`s are made absolute
    so any part of the document can be validated against on its own."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items()}
    if isinstance(converted.get("$ref"), str) and converted["$ref"].startswith("#/"):
        converted["$ref"] = URI + converted["$ref"]
    if converted.pop("nullable", False) is True:
        if "type" in converted:
            converted["type"] = [converted["type"], "null"]
        if "enum" in converted:
            converted["enum"] = [*converted["enum"], None]
    return converted


CONVERTED = as_json_schema(document())
REGISTRY: Registry = Registry().with_resource(URI, Resource.from_contents(CONVERTED, DRAFT7))


def follow(node: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI object, following a `$ref` to components (responses, headers, parameters)."""
    while "$ref" in node:
        target: Any = CONVERTED
        for part in node["$ref"].removeprefix(URI + "#/").split("/"):
            target = target[part.replace("~1", "/")]
        node = target
    return node


def declared_response(path: str, method: str, status: int) -> dict[str, Any]:
    operation = CONVERTED["paths"][path][method.lower()]
    declared = operation["responses"]
    assert str(status) in declared, f"{method} {path} answered {status}, not in {list(declared)}"
    return follow(declared[str(status)])


def check_against(response_object: dict[str, Any], response: Any, where: str) -> Any:
    """The response matches a declared response object: content type, body schema, headers."""
    content_type = response["Content-Type"].split(";")[0].strip()
    content = response_object.get("content", {})
    assert content_type in content, f"{where}: {content_type} not among {list(content)}"
    schema = content[content_type]["schema"]
    if content_type == "application/json":
        body = orjson.loads(response.content)
        validator = Draft7Validator(
            schema, registry=REGISTRY, format_checker=Draft7Validator.FORMAT_CHECKER
        )
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        assert not errors, [f"{where} {list(e.absolute_path)}: {e.message}" for e in errors[:10]]
    else:
        body = response.content.decode("utf-8")
        assert body.startswith('<?xml version="1.0" encoding="utf-8"?>')
    for name, raw in response_object.get("headers", {}).items():
        header = follow(raw)
        if header.get("required"):
            assert response.has_header(name), f"{where}: header {name} missing"
        if response.has_header(name):
            value: Any = response[name]
            if header["schema"].get("type") == "integer":
                value = int(value)
            Draft7Validator(header["schema"]).validate(value)
    return body


def conforms(response: Any, path: str, method: str = "GET") -> Any:
    """Checks `response` against what the document declares for this path, method and status;
    answers the parsed body."""
    declared = declared_response(path, method, response.status_code)
    return check_against(declared, response, f"{method} {path} {response.status_code}")
