"""The API's contract, served: the hand-written OpenAPI document (openapi.yaml beside this file)
as YAML and as JSON, and a reference page rendered from it on the server."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import yaml
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

DOCUMENT = Path(__file__).parent / "openapi.yaml"
METHODS = ("get", "post", "put", "patch", "delete")
_CACHE_CONTROL = "public, max-age=3600"


@cache
def document() -> dict[str, Any]:
    """The OpenAPI document, parsed once per process."""
    loaded: dict[str, Any] = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    return loaded


@cache
def _json_bytes() -> bytes:
    return orjson.dumps(document())


@cache
def _yaml_bytes() -> bytes:
    return DOCUMENT.read_bytes()


def _shared(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = _CACHE_CONTROL
    return response


@csrf_exempt
@require_safe
def openapi_json(request: HttpRequest) -> HttpResponse:
    return _shared(HttpResponse(_json_bytes(), content_type="application/json"))


@csrf_exempt
@require_safe
def openapi_yaml(request: HttpRequest) -> HttpResponse:
    return _shared(HttpResponse(_yaml_bytes(), content_type="application/yaml; charset=utf-8"))


# --- The reference page -------------------------------------------------------------------------


def prose(text: str | None) -> SafeString:
    """The document's descriptions (CommonMark in principle, paragraphs and `code` in practice)
    as HTML: escaped first, then code spans and paragraphs."""
    if not text:
        return mark_safe("")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    html = []
    for paragraph in paragraphs:
        escaped = str(escape(" ".join(paragraph.split())))
        html.append("<p>" + re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped) + "</p>")
    return mark_safe("".join(html))  # noqa: S308 - built from escaped text only


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def resolve(node: Any) -> Any:
    """Follows a local `$ref` (one level at a time, as often as needed)."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def type_label(schema: dict[str, Any]) -> str:
    """A short human reading of a schema: `string (date-time) or null`, `array of Service`."""
    if "$ref" in schema:
        if schema["$ref"].count("/") > 3:  # a part of a schema, not a named one
            return type_label(resolve(schema))
        return _ref_name(schema["$ref"])
    if "oneOf" in schema or "anyOf" in schema:
        label = " or ".join(type_label(s) for s in schema.get("oneOf", schema.get("anyOf", [])))
    elif "allOf" in schema:
        label = " and ".join(type_label(s) for s in schema["allOf"])
    elif schema.get("type") == "array":
        label = "array of " + type_label(schema.get("items", {}))
    else:
        label = schema.get("type", "any")
        if "format" in schema:
            label += f" ({schema['format']})"
    if schema.get("nullable"):
        label += " or null"
    return label


def constraints(schema: dict[str, Any]) -> str:
    parts = []
    if "enum" in schema:
        parts.append("one of: " + ", ".join(str(v) for v in schema["enum"]))
    if "minimum" in schema or "maximum" in schema:
        parts.append(f"from {schema.get('minimum', '…')} to {schema.get('maximum', '…')}")
    if schema.get("minLength") == 1:
        parts.append("not empty")
    elif "minLength" in schema:
        parts.append(f"at least {schema['minLength']} characters")
    if "maxLength" in schema:
        parts.append(f"at most {schema['maxLength']} characters")
    if "maxItems" in schema:
        parts.append(f"at most {schema['maxItems']} items")
    if "pattern" in schema:
        parts.append(f"pattern {schema['pattern']}")
    if "default" in schema:
        default = schema["default"]
        parts.append(f"default {str(default).lower() if isinstance(default, bool) else default}")
    return "; ".join(parts)


@dataclass
class Field:
    name: str
    where: str
    type: str
    required: bool
    constraints: str
    description: SafeString


@dataclass
class Example:
    title: str
    text: str


@dataclass
class Reply:
    status: str
    description: SafeString
    content_type: str
    schema: str
    headers: list[Field]
    examples: list[Example]


@dataclass
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: SafeString
    needs_key: bool
    parameters: list[Field] = field(default_factory=list)
    body_types: list[str] = field(default_factory=list)
    body_fields: list[Field] = field(default_factory=list)
    body_note: SafeString = field(default_factory=lambda: mark_safe(""))
    body_example: str = ""
    replies: list[Reply] = field(default_factory=list)


@dataclass
class Section:
    tag: str
    description: SafeString
    operations: list[Operation]


@dataclass
class SchemaDoc:
    name: str
    type: str
    description: SafeString
    fields: list[Field]


def _pretty(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


def _properties(schema: dict[str, Any]) -> tuple[dict[str, Any], set[str], dict[str, Any]]:
    """Properties, required names and additionalProperties, through allOf."""
    schema = resolve(schema)
    properties: dict[str, Any] = dict(schema.get("properties", {}))
    required = set(schema.get("required", []))
    extra = schema.get("additionalProperties")
    for part in schema.get("allOf", []):
        inner, inner_required, inner_extra = _properties(part)
        properties.update(inner)
        required |= inner_required
        extra = extra or inner_extra
    return properties, required, extra if isinstance(extra, dict) else {}


def _fields(schema: dict[str, Any], where: str) -> list[Field]:
    properties, required, _extra = _properties(schema)
    return [
        Field(
            name=name,
            where=where,
            type=type_label(prop),
            required=name in required,
            constraints=constraints(resolve(prop)),
            description=prose(resolve(prop).get("description")),
        )
        for name, prop in properties.items()
    ]


def _replies(responses: dict[str, Any]) -> list[Reply]:
    replies = []
    for status, raw in responses.items():
        response = resolve(raw)
        [(content_type, media)] = list(response.get("content", {}).items())[:1] or [("", {})]
        examples = []
        if "example" in media:
            examples.append(Example("", _pretty(media["example"])))
        for example in media.get("examples", {}).values():
            examples.append(Example(example.get("summary", ""), _pretty(example["value"])))
        headers = [
            Field(
                name=name,
                where="header",
                type=type_label(resolve(header).get("schema", {})),
                required=bool(resolve(header).get("required")),
                constraints=constraints(resolve(header).get("schema", {})),
                description=prose(resolve(header).get("description")),
            )
            for name, header in response.get("headers", {}).items()
        ]
        replies.append(
            Reply(
                status=status,
                description=prose(response.get("description")),
                content_type=content_type,
                schema=type_label(media.get("schema", {})) if media else "",
                headers=headers,
                examples=examples,
            )
        )
    return replies


def _operation(path: str, method: str, op: dict[str, Any], base: str) -> Operation:
    operation = Operation(
        anchor=op["operationId"],
        method=method.upper(),
        path=base + path,
        summary=op.get("summary", ""),
        description=prose(op.get("description")),
        needs_key="security" in op,
    )
    for raw in op.get("parameters", []):
        parameter = resolve(raw)
        schema = parameter.get("schema", {})
        operation.parameters.append(
            Field(
                name=parameter["name"],
                where=parameter["in"],
                type=type_label(schema),
                required=bool(parameter.get("required")),
                constraints=constraints(schema),
                description=prose(parameter.get("description")),
            )
        )
    if "requestBody" in op:
        body = resolve(op["requestBody"])
        content = body.get("content", {})
        operation.body_types = list(content)
        schemas = [media.get("schema", {}) for media in content.values()]
        # The last (multipart) schema is the richest: the form's fields and the photos.
        properties_of = schemas[-1] if schemas else {}
        operation.body_fields = _fields(properties_of, "body")
        _props, _required, extra = _properties(properties_of)
        if extra:
            operation.body_fields.append(
                Field(
                    "attribute[CODE]",
                    "body",
                    type_label(extra),
                    False,
                    "",
                    prose(extra.get("description")),
                )
            )
        notes = dict.fromkeys(resolve(s).get("description", "") for s in schemas)
        operation.body_note = prose("\n\n".join(n for n in notes if n))
        first: dict[str, Any] = next(iter(content.values()), {})
        if "example" in first:
            operation.body_example = "\n".join(f"{k}={v}" for k, v in first["example"].items())
    operation.replies = _replies(op.get("responses", {}))
    return operation


@cache
def reference() -> dict[str, Any]:
    doc = document()
    base = doc["servers"][0]["url"]
    sections: dict[str, Section] = {
        tag["name"]: Section(tag["name"], prose(tag.get("description")), [])
        for tag in doc.get("tags", [])
    }
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["other"])[0]
                section = sections.setdefault(tag, Section(tag, mark_safe(""), []))
                section.operations.append(_operation(path, method, op, base))
    schemas = [
        SchemaDoc(
            name=name,
            type=type_label(schema),
            description=prose(schema.get("description")),
            fields=_fields(schema, ""),
        )
        for name, schema in doc["components"]["schemas"].items()
    ]
    xml = sections.pop("xml", None)
    return {
        "info": doc["info"],
        "intro": prose(doc["info"].get("description")),
        "sections": [s for s in sections.values() if s.operations],
        "xml_operations": xml.operations if xml else [],
        "schemas": schemas,
        "bearer": prose(doc["components"]["securitySchemes"]["bearerAuth"].get("description")),
    }


@require_safe
def api_reference(request: HttpRequest) -> HttpResponse:
    return render(request, "georeport/api_reference.html", reference())
