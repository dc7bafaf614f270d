"""Twilio (and Twilio-compatible providers): signed webhooks, TwiML replies, the REST API.

The signature (X-Twilio-Signature) is HMAC-SHA1, keyed with the account's auth token, over the
full URL Twilio requested followed by every POST parameter's name and value, sorted by name;
base64-encoded. The tests check this implementation against Twilio's own RequestValidator.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from http.client import HTTPException
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import Request, urlopen
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from civic311.messaging.provider import Inbound, Media, SendError

log = logging.getLogger(__name__)

MAX_MEDIA = 10  # Twilio sends at most ten attachments per message
_MAX_MEDIA_BYTES = 10 * 1024 * 1024
_MAX_ANSWER_BYTES = 100_000


def signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """The X-Twilio-Signature of a POST to `url` with these form parameters."""
    data = url
    by_name: dict[str, list[str]] = {}
    for name, value in params:
        by_name.setdefault(name, []).append(value)
    for name in sorted(by_name):
        for value in sorted(by_name[name]):
            data += name + value
    digest = hmac.new(auth_token.encode(), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _url_variants(url: str) -> list[str]:
    """The URL as seen, and with the default port added or removed: Twilio signs the URL as
    configured, and proxies differ in whether they keep ":443"."""
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    variants = [url]
    if parts.port is None and default is not None:
        variants.append(urlunsplit(parts._replace(netloc=f"{parts.netloc}:{default}")))
    elif parts.port == default:
        netloc = parts.netloc.rsplit(":", 1)[0]
        variants.append(urlunsplit(parts._replace(netloc=netloc)))
    return variants


def webhook_url(request: HttpRequest) -> str:
    """The URL the provider posted to: SMS_WEBHOOK_URL when set (the address configured at the
    provider), else this request's own URL, with the scheme a trusted proxy says it had."""
    if settings.SMS_WEBHOOK_URL:
        return str(settings.SMS_WEBHOOK_URL)
    url = request.build_absolute_uri()
    if settings.SMS_TRUST_FORWARDED_PROTO:
        proto = request.META.get("HTTP_X_FORWARDED_PROTO", "").split(",")[0].strip().lower()
        if proto in ("http", "https"):
            url = urlunsplit(urlsplit(url)._replace(scheme=proto))
    return url


@dataclass
class TwilioProvider:
    account_sid: str
    auth_token: str
    from_number: str
    api_url: str
    timeout: float

    @classmethod
    def from_settings(cls) -> TwilioProvider:
        return cls(
            account_sid=settings.TWILIO_ACCOUNT_SID,
            auth_token=settings.TWILIO_AUTH_TOKEN,
            from_number=settings.SMS_FROM_NUMBER,
            api_url=settings.TWILIO_API_URL.rstrip("/"),
            timeout=float(settings.SMS_TIMEOUT_SECONDS),
        )

    # --- Inbound -----------------------------------------------------------------------------

    def verify(self, request: HttpRequest) -> bool:
        given = request.headers.get("X-Twilio-Signature", "")
        if not self.auth_token or not given or request.method != "POST":
            return False
        params = [(name, value) for name, values in request.POST.lists() for value in values]
        return any(
            hmac.compare_digest(signature(self.auth_token, url, params), given)
            for url in _url_variants(webhook_url(request))
        )

    def parse(self, request: HttpRequest) -> Inbound | None:
        post = request.POST
        sid = (post.get("MessageSid") or post.get("SmsSid") or "").strip()
        sender = (post.get("From") or "").strip()
        if not sid or not sender:
            return None
        try:
            count = min(int(post.get("NumMedia") or 0), MAX_MEDIA)
        except ValueError:
            count = 0
        media = tuple(
            Media(url=post[f"MediaUrl{i}"], content_type=post.get(f"MediaContentType{i}", ""))
            for i in range(count)
            if post.get(f"MediaUrl{i}")
        )
        return Inbound(
            sid=sid[:64],
            sender=sender[:32],
            to=(post.get("To") or "").strip()[:32],
            body=(post.get("Body") or "").strip(),
            media=media,
        )

    def reply(self, texts: Sequence[str]) -> HttpResponse:
        messages = "".join(f"<Message>{escape(text)}</Message>" for text in texts)
        body = f'<?xml version="1.0" encoding="UTF-8"?><Response>{messages}</Response>'
        return HttpResponse(body, content_type="text/xml; charset=utf-8")

    # --- Outbound ----------------------------------------------------------------------------

    def _auth(self) -> str:
        pair = f"{self.account_sid}:{self.auth_token}".encode()
        return "Basic " + base64.b64encode(pair).decode()

    def send(self, *, to: str, body: str) -> str:
        url = f"{self.api_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        data = urlencode({"To": to, "From": self.from_number, "Body": body}).encode()
        request = Request(  # noqa: S310 -- TWILIO_API_URL is http(s), checked in settings
            url,
            data=data,
            method="POST",
            headers={
                "Authorization": self._auth(),
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310 -- as above
                answer = response.read(_MAX_ANSWER_BYTES)
        except HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace")
            exc.close()
            # 429 (too many requests) and 5xx are worth trying again; other 4xx are not.
            temporary = exc.code == 429 or exc.code >= 500
            raise SendError(f"HTTP {exc.code}: {detail[:500]}", temporary=temporary) from exc
        except (OSError, HTTPException) as exc:
            raise SendError(f"{type(exc).__name__}: {exc}", temporary=True) from exc
        try:
            sid = json.loads(answer).get("sid", "")
        except (ValueError, AttributeError):
            sid = ""
        return str(sid)[:64]

    def fetch_media(self, url: str) -> tuple[bytes, str]:
        if urlsplit(url).scheme not in ("http", "https"):
            raise SendError("not an http(s) media URL", temporary=False)
        request = Request(url, headers={"Authorization": self._auth()})  # noqa: S310
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310 -- as above
                data = response.read(_MAX_MEDIA_BYTES + 1)
                content_type = response.headers.get_content_type()
        except HTTPError as exc:
            exc.close()
            raise SendError(f"HTTP {exc.code}", temporary=exc.code >= 500) from exc
        except (OSError, HTTPException) as exc:
            raise SendError(f"{type(exc).__name__}: {exc}", temporary=True) from exc
        if len(data) > _MAX_MEDIA_BYTES:
            raise SendError("media too large", temporary=False)
        return data, content_type
