"""A request made by text keeps its conversation: `transcript_for(request)` and the staff-only
partial `sms/_transcript.html`. The public tracking page shows none of it."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client

from civic311.service_requests.models import ServiceRequest
from civic311.sms.tests.texting import Phone
from civic311.sms.transcript import transcript_for

pytestmark = pytest.mark.django_db


def _report(rosa: Phone) -> ServiceRequest:
    rosa.says("REPORT")
    rosa.says("pothole")
    rosa.says("1200 W Madison")
    rosa.says("YES")
    rosa.says("1")
    rosa.says("SKIP")
    rosa.says("Deep <b>one</b>")
    return ServiceRequest.objects.get()


def test_the_transcript_is_the_whole_dialog_in_order(rosa: Phone) -> None:
    rosa.says("HELP")  # before the report: not part of it
    request = _report(rosa)
    lines = transcript_for(request)
    assert [(line.incoming, line.body) for line in lines[:4]] == [
        (True, "REPORT"),
        (False, rosa.received[1]),
        (True, "pothole"),
        (False, rosa.received[2]),
    ]
    assert lines[-1].body.startswith(
        f"Thank you. Your tracking number is {request.tracking_number}"
    )
    assert len(lines) == 14
    assert {line.phone for line in lines} == {"+13125550100"}


def test_the_partial_shows_who_said_what_escaped(rosa: Phone) -> None:
    request = _report(rosa)
    html = render_to_string("sms/_transcript.html", {"transcript": transcript_for(request)})
    assert "Text message conversation" in html
    assert "+13125550100" in html
    assert html.count('class="sms-in"') == 7 and html.count('class="sms-out"') == 7
    assert "Deep &lt;b&gt;one&lt;/b&gt;" in html


def test_the_public_tracking_page_shows_no_conversation(rosa: Phone) -> None:
    request = _report(rosa)
    page = Client().get(f"/track/{request.tracking_number}")
    assert page.status_code == 200
    assert b"+13125550100" not in page.content
    assert b"5550100" not in page.content
    assert b"Text message conversation" not in page.content
