"""One HTTP POST to an app's server, with the standard library.

http.client rather than urllib.request: it never follows redirects, and it lets the connection
go to the address addresses.resolve() checked (TLS still verifies the certificate against the
host name), so the SSRF guard cannot be sidestepped by a name that resolves differently the
second time.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass

from django.conf import settings

from civic311.webhooks import addresses

READ_BYTES = 2048
KEEP_CHARS = 500


@dataclass(frozen=True)
class Answer:
    status: int
    body: str  # the start of it, for the delivery log


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """Raises addresses.Refused (never worth retrying), OSError or http.client.HTTPException
    (connection refused, timeout, TLS failure, a broken answer: worth retrying)."""
    target, address = addresses.resolve(url)
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(
            target.host, target.port, address=address, timeout=timeout
        )
    else:
        connection = _PinnedHTTPConnection(
            target.host, target.port, address=address, timeout=timeout
        )
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        start = response.read(READ_BYTES)
    finally:
        connection.close()
    return Answer(status=response.status, body=start.decode("utf-8", "replace")[:KEEP_CHARS])
