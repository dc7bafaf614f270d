"""The app's side of the webhook tests: a real HTTP server standing in for the app's endpoint,
and the calls the app makes to the API.

The receiver checks every signature with its own code (not civic311.webhooks.signing), so the
tests hold the scheme docs/api.md describes, not just whatever the sender does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from django.core.management import call_command
from django.test import Client

from civic311.apikeys.actions import IssuedKey

BASE = "/open311/v2"


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: bytes
    signed: bool  # the signature matched the secret the receiver holds for this path

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def signature_matches(secret: str, body: bytes, header: str, *, window: int = 300) -> bool:
    """What an app does (docs/api.md): split t= and v1=, refuse an old t, compare the HMAC."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    if not parts.get("t", "").isdigit() or abs(time.time() - int(parts["t"])) > window:
        return False
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


@dataclass
class Receiver:
    port: int = 0
    calls: list[Call] = field(default_factory=list)
    secrets: dict[str, str] = field(default_factory=dict)  # path -> secret
    answers: dict[str, list[int]] = field(default_factory=dict)  # path -> statuses, in turn
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, path: str, *statuses: int) -> None:
        """Answer these statuses to the next calls on `path`, then 200."""
        self.answers[path] = list(statuses)

    def on(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.path == path]


def handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with receiver.lock:
                secret = receiver.secrets.get(self.path, "")
                signed = bool(secret) and signature_matches(
                    secret, body, self.headers.get("Civic311-Signature", "")
                )
                receiver.calls.append(Call(self.path, dict(self.headers.items()), body, signed))
                queued = receiver.answers.get(self.path) or []
                status = queued.pop(0) if queued else 200
            reply = b"thanks" if status < 300 else b"not now"
            self.send_response(status)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def bearer(key: IssuedKey) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key.key}"}


def register(client: Client, key: IssuedKey, receiver: Receiver, path: str, **form: Any) -> Any:
    """Registers a webhook through the API; tells the receiver the secret it was shown."""
    response = client.post(
        f"{BASE}/webhooks.json", {"url": receiver.url(path), **form}, **bearer(key)
    )
    assert response.status_code == 201, response.content
    [created] = response.json()
    receiver.secrets[path] = created["secret"]
    return created


def submit(client: Client, key: IssuedKey, where: tuple[float, float], **form: Any) -> str:
    """A request sent by the app through the API; answers its tracking number."""
    lat, long = where
    response = client.post(
        f"{BASE}/requests.json",
        {"service_code": "street_light", "lat": lat, "long": long, **form},
        **bearer(key),
    )
    assert response.status_code == 201, response.content
    number: str = response.json()[0]["service_request_id"]
    return number


def run_worker() -> None:
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)
