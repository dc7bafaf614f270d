"""The signature scheme: HMAC-SHA256 over "<t>.<body>", refused when old or tampered with."""

from __future__ import annotations

import time

from civic311.webhooks import signing
from civic311.webhooks.tests.support import signature_matches

BODY = b'{"id":"1","type":"request.closed"}'


def test_a_fresh_signature_verifies_with_the_secret_only() -> None:
    header = signing.signature("whsec_right", BODY)

    assert signing.verify("whsec_right", BODY, header)
    assert signature_matches("whsec_right", BODY, header)  # as an app computes it
    assert not signing.verify("whsec_wrong", BODY, header)
    assert not signing.verify("whsec_right", BODY + b" ", header)


def test_an_old_signature_is_refused_as_a_replay() -> None:
    ten_minutes_ago = int(time.time()) - 600
    header = signing.signature("whsec_right", BODY, timestamp=ten_minutes_ago)

    assert not signing.verify("whsec_right", BODY, header)
    assert signing.verify("whsec_right", BODY, header, tolerance=900)


def test_malformed_headers_are_refused() -> None:
    for header in ("", "t=abc,v1=00", "v1=00", "t=1", "garbage"):
        assert not signing.verify("whsec_right", BODY, header)
