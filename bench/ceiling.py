"""The ceiling: the same server stack answering with bytes rendered beforehand.

`bench/run.py` fetches each scenario's real response once, writes it to a manifest (JSON, set
in CEILING_MANIFEST) and serves this app with the same gunicorn configuration, worker class and
worker count as Civic311. For a method and request target seen in the manifest it answers with
exactly the recorded status, headers (Content-Type included) and body; anything else is a 404.

So the ceiling pays for everything Civic311 pays for except Civic311 itself: the load
generator, the kernel's loopback, gunicorn's parsing, its workers and access log, and the
response bytes on the wire. Civic311's throughput divided by the ceiling's is the share of the
stack's capacity the application leaves, a ratio that holds up on a noisy shared machine where
absolute numbers drift.

    CEILING_MANIFEST=bench/var/ceiling.json gunicorn --pythonpath bench ceiling:application
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

StartResponse = Callable[..., Any]


@dataclass(frozen=True)
class Recorded:
    status: str  # "200 OK"
    headers: list[tuple[str, str]]
    body: bytes


def status_line(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} Unknown"


def load(path: str) -> dict[str, Recorded]:
    """Recorded responses by "METHOD target" (the target as the client sends it)."""
    with open(path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    found: dict[str, Recorded] = {}
    for item in manifest["responses"]:
        found[f"{item['method']} {item['target']}"] = Recorded(
            status=status_line(int(item["status"])),
            headers=[(str(k), str(v)) for k, v in item["headers"]],
            body=base64.b64decode(item["body"]),
        )
    return found


_NOT_FOUND = Recorded(
    status=status_line(404),
    headers=[("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "25")],
    body=b"not in the bench manifest",
)
RESPONSES: dict[str, Recorded] = {}
_manifest = os.environ.get("CEILING_MANIFEST", "")
if _manifest:
    RESPONSES = load(_manifest)


def _target(environ: dict[str, Any]) -> str:
    raw = environ.get("RAW_URI")  # gunicorn: the target exactly as sent
    if raw:
        return str(raw)
    query = environ.get("QUERY_STRING", "")
    return str(environ.get("PATH_INFO", "/")) + (f"?{query}" if query else "")


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    # Read the body as Django would, so a POST costs the ceiling the same bytes off the socket.
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > 0:
        environ["wsgi.input"].read(length)
    found = RESPONSES.get(f"{environ['REQUEST_METHOD']} {_target(environ)}", _NOT_FOUND)
    start_response(found.status, list(found.headers))
    return [found.body]
