"""The two wire formats of GeoReport v2.

Responses are built once as plain Python data in the "Spark convention" (what the JSON shows:
lists are bare arrays, the XML root is dropped) and written out as JSON (orjson) or as XML with
the spec's element names. XML is written by hand, not by a generic serializer, because clients
check the exact shape: a declaration with UTF-8, no namespaces, empty elements for absent
values, and a wrapper element around every list, even an empty one or one of one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import orjson
from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"

# The element name of one item in each list, by the list's name.
ITEM = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "notes": "note",
    "media_urls": "media_url",
    "service_request_updates": "request_update",
}

# XML 1.0 cannot carry most control characters, even escaped; residents' text sometimes has them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    text = _INVALID_XML.sub("", str(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _element(name: str, value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        yield f"<{name}>"
        for key, inner in value.items():
            yield from _element(key, inner)
        yield f"</{name}>"
    elif isinstance(value, list | tuple):
        item = ITEM.get(name, name)
        if not value:
            yield f"<{name}></{name}>"
            return
        yield f"<{name}>"
        for inner in value:
            yield from _element(item, inner)
        yield f"</{name}>"
    else:
        text = _text(value)
        yield f"<{name}>{text}</{name}>" if text else f"<{name}></{name}>"


def xml_bytes(root: str, data: Any) -> bytes:
    """`data` is a list (rendered as <root><item/>…</root>) or a mapping (<root>…</root>)."""
    parts = ['<?xml version="1.0" encoding="utf-8"?>']
    parts.extend(_element(root, data))
    return "".join(parts).encode("utf-8")


def json_bytes(data: Any) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)


def render(fmt: str, root: str, data: Any, *, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(xml_bytes(root, data), content_type=XML_TYPE, status=status)
    return HttpResponse(json_bytes(data), content_type=JSON_TYPE, status=status)


def errors(
    fmt: str, status: int, descriptions: Sequence[str], headers: Mapping[str, str] | None = None
) -> HttpResponse:
    """The spec's error list: one {code, description} per problem, all at once."""
    response = render(
        fmt,
        "errors",
        [{"code": status, "description": d} for d in descriptions],
        status=status,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
