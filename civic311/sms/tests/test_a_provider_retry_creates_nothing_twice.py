"""A provider that posts the same message again (same MessageSid: a timeout on its side, a
retry) gets the same answer, and nothing happens twice: one request, one message stored."""

from __future__ import annotations

import pytest

from civic311.messaging.models import Message
from civic311.service_requests.models import ServiceRequest
from civic311.sms.tests.texting import Phone

pytestmark = pytest.mark.django_db


def test_the_last_message_of_a_report_posted_twice_makes_one_request(rosa: Phone) -> None:
    rosa.text("pothole at 1200 W Madison")
    rosa.text("YES")
    rosa.text("1")  # in the street
    rosa.text("SKIP")  # depth: optional
    [done] = rosa.text("Deep one, by the bus stop")
    number = ServiceRequest.objects.get().tracking_number
    assert number in done

    again = rosa.text("Deep one, by the bus stop", sid=rosa.last_sid)

    assert again == [done]
    assert ServiceRequest.objects.count() == 1
    assert Message.objects.filter(provider_sid=rosa.last_sid).count() == 1


def test_a_retried_status_query_is_answered_the_same(rosa: Phone) -> None:
    first = rosa.text("HELP")
    assert rosa.text("HELP", sid=rosa.last_sid) == first
    assert Message.objects.filter(direction="in").count() == 1
