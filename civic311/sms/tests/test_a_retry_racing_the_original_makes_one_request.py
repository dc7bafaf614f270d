"""The provider's retry can arrive while the original is still being handled (its own timeout
is short). Two identical signed posts at the same moment, over real HTTP to a live server:
one request, one stored message, the same answer to both."""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from django.db import connections

from civic311.messaging.models import Message
from civic311.service_requests.models import ServiceRequest
from civic311.sms.tests.texting import Phone, new_sid, replies_of, sign

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_copies_of_the_last_message_at_once_make_one_request(
    rosa: Phone, live_server: Any, settings: Any
) -> None:
    rosa.says("pothole at 1200 W Madison")
    rosa.says("YES")
    rosa.says("1")
    rosa.says("SKIP")
    url = f"{live_server.url}/sms/inbound"
    settings.SMS_WEBHOOK_URL = url
    params = rosa.params("Deep one", sid=new_sid())
    signature = sign(params, url=url)
    body = urlencode(params).encode()
    answers: list[tuple[int, bytes]] = []
    start = threading.Barrier(2)

    def post() -> None:
        request = Request(  # noqa: S310 -- the live test server
            url,
            data=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": signature,
            },
        )
        start.wait()
        with urlopen(request, timeout=30) as response:  # noqa: S310 -- the live test server
            answers.append((response.status, response.read()))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    connections.close_all()

    assert [status for status, _ in answers] == [200, 200]
    first, second = (replies_of(content) for _, content in answers)
    assert first == second
    request = ServiceRequest.objects.get()
    assert first[0].startswith(f"Thank you. Your tracking number is {request.tracking_number}")
    assert Message.objects.filter(provider_sid=params["MessageSid"]).count() == 1
