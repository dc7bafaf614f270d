"""A resident's phone, as the provider sees it: each text is POSTed to /sms/inbound exactly as
Twilio posts it (form-encoded, signed with X-Twilio-Signature computed by Twilio's own
RequestValidator), and the TwiML answer is read back as the texts the phone would show."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree

from django.test import Client
from twilio.request_validator import RequestValidator

AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
ACCOUNT_SID = "AC00000000000000000000000000000000"
CITY_NUMBER = "+13125550311"
URL = "http://testserver/sms/inbound"

_sids = itertools.count(1)


def new_sid() -> str:
    return f"SM{next(_sids):032x}"


def sign(params: dict[str, str], *, url: str = URL, token: str = AUTH_TOKEN) -> str:
    return str(RequestValidator(token).compute_signature(url, params))


def replies_of(content: bytes) -> list[str]:
    root = ElementTree.fromstring(content)  # noqa: S314 -- our own server's answer
    assert root.tag == "Response"
    return [message.text or "" for message in root.findall("Message")]


def web_pothole(where: tuple[float, float], **extra: Any) -> Any:
    """A pothole reported on the web (not by text), through the real action."""
    from civic311.choices import Channel
    from civic311.service_requests.actions import Actor, submit_request

    lat, long = where
    return submit_request(
        service_code="pothole",
        channel=Channel.WEB,
        actor=Actor.resident(),
        lat=lat,
        long=long,
        answers={"location": "street"},
        **extra,
    )


class Phone:
    """One resident's phone. `text()` returns the replies shown on the phone."""

    def __init__(self, number: str, client: Client | None = None) -> None:
        self.number = number
        self.client = client or Client()
        self.last_sid = ""
        self.received: list[str] = []

    def params(
        self, body: str, media: Sequence[tuple[str, str]] = (), sid: str = ""
    ) -> dict[str, str]:
        params = {
            "ToCountry": "US",
            "SmsMessageSid": sid,
            "NumMedia": str(len(media)),
            "SmsSid": sid,
            "SmsStatus": "received",
            "Body": body,
            "To": CITY_NUMBER,
            "NumSegments": "1",
            "MessageSid": sid,
            "AccountSid": ACCOUNT_SID,
            "From": self.number,
            "ApiVersion": "2010-04-01",
        }
        for i, (url, content_type) in enumerate(media):
            params[f"MediaUrl{i}"] = url
            params[f"MediaContentType{i}"] = content_type
        return params

    def post(self, params: dict[str, str], *, signature: str | None = None, **extra: Any) -> Any:
        return self.client.post(
            "/sms/inbound",
            params,
            HTTP_X_TWILIO_SIGNATURE=sign(params) if signature is None else signature,
            **extra,
        )

    def text(self, body: str, media: Sequence[tuple[str, str]] = (), *, sid: str = "") -> list[str]:
        self.last_sid = sid or new_sid()
        response = self.post(self.params(body, media, self.last_sid))
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/xml")
        replies = replies_of(response.content)
        self.received += replies
        return replies

    def says(self, body: str, media: Sequence[tuple[str, str]] = ()) -> str:
        """Text, and return the one reply (fails if there is not exactly one)."""
        replies = self.text(body, media)
        assert len(replies) == 1, replies
        return replies[0]
