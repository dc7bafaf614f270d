"""A real SMTP server (aiosmtpd) for the notification tests, and the real worker to feed it
(the `mailbox` fixture is made available to the notification tests by their conftest.py)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.core.management import call_command

from civic311.choices import Channel
from civic311.service_requests.actions import Actor, Contact, submit_request
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places


class Mailbox:
    """An aiosmtpd handler that keeps what it accepts.

    `replies` scripts the answers to the next messages' DATA ("451 …" refuses one for now,
    None accepts it). `hold_message(n)` makes the server sit on the n-th message (1-based)
    before answering, until `release` is set: a worker can be killed mid-conversation. A message
    whose client went away before the answer is not kept, as a real server would not deliver it.
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.replies: list[str | None] = []
        self.seen = 0
        self.hold_at: int | None = None
        self.held = threading.Event()
        self.release = threading.Event()
        self.port = 0

    def hold_message(self, n: int) -> None:
        self.hold_at = n

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.seen += 1
        if self.replies:
            reply = self.replies.pop(0)
            if reply is not None:
                return reply
        if self.hold_at == self.seen:
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            if server.transport is None or server.transport.is_closing():
                return "451 client went away"
        content = envelope.content
        assert isinstance(content, bytes)
        message = message_from_bytes(content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    box = Mailbox()
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = box.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    settings.SITE_URL = "https://311.example.org"
    settings.DEFAULT_FROM_EMAIL = "311@example.org"
    try:
        yield box
    finally:
        box.release.set()
        controller.stop()


def run_worker() -> None:
    """Run every task that is due, the way `manage.py db_worker` does, then return."""
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def submit_with_email(
    places: Places,
    email: str,
    *,
    language: str = "en",
    first_name: str = "Rosa",
    phone: str = "312-555-0100",
    service_code: str = "street_light",
    is_test: bool = False,
    where: tuple[float, float] | None = None,
    answers: dict[str, Any] | None = None,
) -> ServiceRequest:
    lat, long = where or places.ward2_near_north
    return submit_request(
        service_code=service_code,
        channel=Channel.WEB,
        actor=Actor.resident(),
        lat=lat,
        long=long,
        address="233 S Wacker Dr",
        answers=answers,
        contact=Contact(first_name=first_name, email=email, phone=phone, language=language),
        is_test=is_test,
    ).request


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def html_of(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")
