"""A report by text, from the first message to the tracking number: the service from a menu or
from the resident's words, the address read back for confirmation, the service's questions one
by one (lists by number, optional ones skippable, dates as people type them), a description,
then the request, submitted through actions.submit_request on the SMS channel."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from civic311.choices import Channel, Status
from civic311.messaging.models import Message
from civic311.service_requests.models import ReporterContact, ServiceRequest
from civic311.sms.tests.texting import Phone

pytestmark = pytest.mark.django_db


def number_of(menu: str, name: str) -> str:
    """The number the menu gives `name` ("... 2 Pothole in Street, ...")."""
    for item in menu.split(":", 1)[1].split(","):
        number, _, label = item.strip().rstrip(".").partition(" ")
        if label == name:
            return number
    raise AssertionError(f"{name} is not in {menu!r}")


def test_a_complete_report_from_the_menu(rosa: Phone) -> None:
    menu = rosa.says("REPORT")
    assert "What is the problem? Reply with its number:" in menu

    where = rosa.says(number_of(menu, "Pothole in Street"))
    assert (
        where == "Pothole in Street. Where is it? Send the street address, like 1200 W Madison St."
    )

    confirm = rosa.says("1200 west madison")
    assert confirm == "1200 W Madison St, Near West Side - reply YES, or send a better address."

    first = rosa.says("yes")
    assert first == "(1/2) Question location? 1 In the street, 2 In a crosswalk, 3 Alley."
    assert "Please reply with one of the numbers" in rosa.says("7")
    second = rosa.says("3")
    assert second.startswith("(2/2) Question depth_cm? Send a number. (Optional: reply SKIP.)")
    assert rosa.says("about 15 cm").startswith(
        "Anything to add? Send a short description, or SKIP."
    )

    done = rosa.says("Deep, near the bus stop")

    request = ServiceRequest.objects.get()
    assert done == (
        f"Thank you. Your tracking number is {request.tracking_number}. We will text you when it "
        f"is closed. https://311.example.org/track/{request.tracking_number}"
    )
    assert request.channel == Channel.SMS
    assert request.service.service_code == "pothole"
    assert request.status == Status.OPEN
    assert request.address == "1200 W Madison St"
    assert (request.ward, request.community_area) == ("1", "28")
    assert request.answers == {"location": "alley", "depth_cm": 15}
    assert request.description == "Deep, near the bus stop"
    contact = ReporterContact.objects.get(request=request)
    assert (contact.phone, contact.language) == ("+13125550100", "en")
    # The whole conversation is the request's transcript.
    assert Message.objects.filter(request=request).count() == 16  # 8 in, 8 out


def test_a_problem_in_words_skips_the_menu_and_the_address_question(rosa: Phone) -> None:
    confirm = rosa.says("There is a pothole at 1200 W Madison")
    assert confirm == (
        "Pothole in Street. 1200 W Madison St, Near West Side - reply YES, or send a better "
        "address."
    )
    rosa.says("YES")
    rosa.says("1")
    rosa.says("skip")
    rosa.says("SKIP")
    request = ServiceRequest.objects.get()
    assert request.answers == {"location": "street"}
    # The resident's own words are the description.
    assert request.description == "There is a pothole at 1200 W Madison"


def test_a_wrong_address_is_corrected_before_it_is_used(rosa: Phone) -> None:
    rosa.says("pothole")
    assert rosa.says("1 Nowhere Lane").startswith("We could not find “1 Nowhere Lane”.")
    assert rosa.says("1500 W Madison St").startswith("1500 W Madison St, Near West Side")
    assert rosa.says("No, 1200 W Madison").startswith("1200 W Madison St, Near West Side")
    assert rosa.says("yes").startswith("(1/2)")


def test_an_address_outside_the_city_is_refused(rosa: Phone) -> None:
    from civic311.geo.geocoders import import_address_points

    import_address_points([("1 Far Away Rd", 41.70, -87.90, "60000")])
    rosa.says("pothole")
    assert "is outside the city" in rosa.says("1 Far Away Rd")


def test_optional_questions_are_offered_and_dates_are_read_as_people_write_them(
    rosa: Phone, settings: Any
) -> None:
    rosa.says("graffiti at 600 N Michigan Ave")
    assert rosa.says("YES").startswith("(1/5) Question surface? 1 Brick, 2 Metal, 3 Glass.")
    assert rosa.says("1 and 3").startswith("(2/5) Question offensive? 1 Yes, 2 No. (Optional")
    assert rosa.says("no").startswith("(3/5) Question seen_at? For example: today 3pm")
    assert rosa.says("sometime").startswith("Please reply with a date or time")
    assert rosa.says("11/28 8pm").startswith("(4/5) Question where_on_building?")
    assert rosa.says("SKIP").startswith("(5/5)")
    assert rosa.says("Big blue letters").startswith("Anything to add?")
    rosa.says("SKIP")

    request = ServiceRequest.objects.get()
    seen = datetime.fromisoformat(request.answers["seen_at"])
    assert seen.astimezone(ZoneInfo("America/Chicago")).replace(tzinfo=None) == datetime(
        datetime.now().year if datetime.now().month >= 11 else datetime.now().year - 1, 11, 28, 20
    )
    assert request.answers["surface"] == ["brick", "glass"]
    assert request.answers["offensive"] == "no"
    assert request.answers["details"] == "Big blue letters"
    assert "where_on_building" not in request.answers


def test_a_required_question_cannot_be_skipped(rosa: Phone) -> None:
    rosa.says("pothole at 1200 W Madison")
    rosa.says("YES")
    assert rosa.says("SKIP").startswith("Please reply with one of the numbers. (1/2)")


def test_an_answer_the_city_cannot_take_is_asked_again_in_the_citys_words(rosa: Phone) -> None:
    rosa.says("pothole at 1200 W Madison")
    rosa.says("YES")
    rosa.says("1")
    # Read as a number, but one no form of the city's takes (catalog.answers says why).
    assert rosa.says("99999999999999999 cm").startswith("This number is too large. (2/2)")
    assert rosa.says("15 cm").startswith("Anything to add?")


def test_a_report_limit_per_day_per_number(rosa: Phone, settings: Any) -> None:
    settings.SMS_MAX_REPORTS_PER_DAY = 1
    for _ in range(2):
        rosa.says("street light out at 600 N Michigan Ave")
        rosa.says("YES")
        last = rosa.says("SKIP")
    assert ServiceRequest.objects.count() == 1
    assert "sent 1 reports today" in last


def test_a_better_address_that_cannot_be_found_keeps_the_one_read_back(rosa: Phone) -> None:
    assert rosa.says("street light out at 1200 W Madison").startswith("Street Light Out. 1200 W")
    reply = rosa.says("1500")
    assert reply == (
        "We could not find “1500”. Send the number and street, like 1200 W Madison St. "
        "1200 W Madison St, Near West Side - reply YES, or send a better address."
    )
    assert rosa.says("yes").startswith("Anything to add?")  # street lights ask nothing


def test_no_asks_for_another_address(rosa: Phone) -> None:
    rosa.says("street light out at 1200 W Madison")
    assert rosa.says("no") == "Send a better address, like 1200 W Madison St."
    assert rosa.says("yes").startswith("We could not find “yes”.")
    assert rosa.says("600 N Michigan Ave").startswith("600 N Michigan Ave, Near North Side")
