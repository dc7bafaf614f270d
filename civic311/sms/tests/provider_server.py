"""A local HTTP server that speaks Twilio's REST shape, for the one seam that crosses the
internet: TWILIO_API_URL points here in tests. It checks the account's Basic credentials,
records every message the city sends, serves MMS media, and can be told to answer the next
calls with an error (503, 429 …) the way Twilio does."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

from civic311.sms.tests.texting import ACCOUNT_SID, AUTH_TOKEN


@dataclass
class LocalTwilio:
    url: str = ""
    sent: list[dict[str, str]] = field(default_factory=list)
    # Status codes for the next message calls ("201" or absent: accept).
    answers: list[int] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    media_requests: int = 0

    def media_url(self, name: str) -> str:
        return f"{self.url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM1/Media/{name}"

    def to(self, number: str) -> list[str]:
        return [m["Body"] for m in self.sent if m["To"] == number]


_ERRORS = {
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
    400: (21211, "The 'To' number is not a valid phone number."),
}


def _handler(state: LocalTwilio) -> type[BaseHTTPRequestHandler]:
    expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            if self.headers.get("Authorization") == expected:
                return True
            self._json(401, {"code": 20003, "message": "Authenticate", "status": 401})
            return False

        def do_POST(self) -> None:
            if not self._authorised():
                return
            if self.path != f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json":
                self._json(404, {"code": 20404, "message": "Not found", "status": 404})
                return
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            status = state.answers.pop(0) if state.answers else 201
            if status != 201:
                code, message = _ERRORS.get(status, (20000 + status, "Error"))
                self._json(status, {"code": code, "message": message, "status": status})
                return
            state.sent.append(form)
            sid = f"SM{len(state.sent):032x}"
            self._json(
                201,
                {
                    "sid": sid,
                    "account_sid": ACCOUNT_SID,
                    "to": form.get("To"),
                    "from": form.get("From"),
                    "body": form.get("Body"),
                    "status": "queued",
                    "num_segments": "1",
                    "direction": "outbound-api",
                    "api_version": "2010-04-01",
                },
            )

        def do_GET(self) -> None:
            if not self._authorised():
                return
            name = self.path.rsplit("/", 1)[-1]
            if name not in state.media:
                self._json(404, {"code": 20404, "message": "Not found", "status": 404})
                return
            state.media_requests += 1
            data, content_type = state.media[name]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@pytest.fixture
def twilio_api(settings: Any) -> Iterator[LocalTwilio]:
    state = LocalTwilio()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TWILIO_API_URL = state.url
    settings.SMS_TIMEOUT_SECONDS = 5
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
