"""Where a webhook may point: HTTPS to a public address.

The guard against server-side request forgery runs twice: when an app registers a URL (on its
text: scheme, credentials, literal private addresses, `localhost`) and before every attempt (on
the addresses the host name resolves to then; the connection is made to the address checked, so
a name that changes its answer between the check and the connection cannot reach inside).
WEBHOOK_ALLOW_HTTP_LOCAL lifts it for development and tests: http:// to 127.0.0.1 or localhost,
and private addresses.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

MAX_URL = 500
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The URL may not be called (a reason a person can read)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line


def _is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _split(url: str) -> SplitResult:
    if len(url) > MAX_URL:
        raise Refused(_("At most %(n)d characters.") % {"n": MAX_URL})
    try:
        URLValidator(schemes=["http", "https"])(url)
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except (ValidationError, ValueError):
        raise Refused(_("Not a valid http(s) URL.")) from None
    if parts.username or parts.password:
        raise Refused(_("Credentials in the URL are not allowed; check the signature instead."))
    return parts


def check_url(url: str) -> str:
    """Raises Refused for a URL an app may not register; answers it unchanged otherwise."""
    parts = _split(url)
    host = (parts.hostname or "").lower()
    allow_local = settings.WEBHOOK_ALLOW_HTTP_LOCAL
    if parts.scheme != "https" and not (allow_local and host in LOCAL_HOSTS):
        raise Refused(_("The URL must start with https://."))
    if not allow_local:
        literal = _literal(host)
        if (
            host == "localhost"
            or host.endswith(".localhost")
            or (literal is not None and not _is_public(literal))
        ):
            raise Refused(_("The URL points to a private or local address."))
    return url


def resolve(url: str) -> tuple[Target, str]:
    """The target of an attempt and the one address to connect to; raises Refused for a URL
    that is no longer allowed or whose host resolves to a private address, and OSError when the
    name does not resolve (worth retrying)."""
    check_url(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [str(info[4][0]) for info in infos]
    # Every answer must be public: otherwise a name could list one public and one private
    # address and let the resolver pick.
    if not settings.WEBHOOK_ALLOW_HTTP_LOCAL and not all(
        _is_public(ipaddress.ip_address(a)) for a in addresses
    ):
        raise Refused(_("The URL's host resolves to a private or local address."))
    if not addresses:
        raise OSError(f"{host} has no address")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=parts.scheme, host=host, port=port, path=path), addresses[0]
