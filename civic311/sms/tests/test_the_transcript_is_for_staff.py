"""A request made by text keeps its conversation: `transcript_for(request)` and the staff-only
partial `staff/_transcript.html`. The public tracking page shows none of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client

from civic311.messaging.selectors import transcript_for
from civic311.service_requests.models import ServiceRequest
from civic311.sms.tests.texting import Phone, web_pothole
from civic311.testing import Places, Services, Staff

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
    html = render_to_string("staff/_transcript.html", {"transcript": transcript_for(request)})
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


# --- On the staff request page -------------------------------------------------------------------


def _staff_page(user: Any, request: ServiceRequest) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/staff/requests/{request.tracking_number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_staff_who_see_internal_data_read_the_conversation(rosa: Phone, staff: Staff) -> None:
    request = _report(rosa)
    for user in (staff.cdot, staff.operator, staff.ward1_office, staff.admin):
        page = _staff_page(user, request)
        assert "Text message conversation" in page
        assert "With +13125550100" in page
        assert "Deep &lt;b&gt;one&lt;/b&gt;" in page
        assert f"Your tracking number is {request.tracking_number}" in page


def test_staff_who_may_not_see_internal_data_do_not(rosa: Phone, staff: Staff) -> None:
    request = _report(rosa)
    assert request.ward == "1"
    page = _staff_page(staff.ward2_office, request)  # another ward's office
    assert "Text message conversation" not in page
    assert "5550100" not in page


def test_requests_from_other_channels_have_no_conversation(
    streets: Services, staff: Staff, places: Places
) -> None:
    request = web_pothole(places.ward1_near_west).request
    assert "Text message conversation" not in _staff_page(staff.cdot, request)


def test_the_conversation_costs_one_query(
    rosa: Phone, staff: Staff, django_assert_max_num_queries: Any
) -> None:
    from civic311.staff.tests.test_pages_take_a_fixed_number_of_queries import REQUEST_QUERIES

    request = _report(rosa)
    client = Client()
    client.force_login(staff.admin)
    url = f"/staff/requests/{request.tracking_number}/"
    client.get(url)
    with django_assert_max_num_queries(REQUEST_QUERIES + 1):
        assert client.get(url).status_code == 200
