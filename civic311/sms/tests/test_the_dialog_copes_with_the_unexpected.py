"""What a text dialog must survive: a long menu, words that fit two services, an address
service that is down, a submission refused for now (kept: SEND tries again), replies that would
not fit the phone's segments."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import run_checks

from civic311.catalog.models import Service
from civic311.messaging import segments
from civic311.messaging.models import Phone as PhoneRow
from civic311.service_requests.models import ServiceRequest
from civic311.sms.tests.texting import Phone
from civic311.testing import Services

pytestmark = pytest.mark.django_db


def test_a_long_menu_comes_in_pages(rosa: Phone, streets: Services) -> None:
    for i in range(8):
        Service.objects.create(
            jurisdiction=streets.pothole.jurisdiction,
            service_code=f"extra{i}",
            service_name=f"Zz Extra {i}",
            group="Zz",
            department=streets.pothole.department,
        )
    first = rosa.says("REPORT")
    assert "1 Graffiti Removal" in first and "9 Zz Extra 4" in first
    assert first.endswith("0 for more.")
    second = rosa.says("0")
    assert "10 Zz Extra 5" in second and "12 Zz Extra 7" in second
    assert "0 for more" not in second
    assert rosa.says("12").startswith("Zz Extra 7. Where is it?")


def test_words_that_fit_two_services_get_a_short_menu(rosa: Phone, streets: Services) -> None:
    streets.street_light.keywords = "light,dark"
    streets.street_light.save()
    streets.sewer.keywords = "dark,hole"
    streets.sewer.save()
    reply = rosa.says("it is dark here")
    assert "1 Street Light Out" in reply and "2 Sewer Cave-In Inspection" in reply
    assert "Graffiti" not in reply
    assert rosa.says("2").startswith("Sewer Cave-In Inspection. Where is it?")


def test_an_address_service_that_is_down_keeps_the_dialog(rosa: Phone, settings: Any) -> None:
    rosa.says("pothole")
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_URL = "http://127.0.0.1:9"  # nothing listens: connection refused
    settings.GEOCODER_TIMEOUT_SECONDS = 2
    reply = rosa.says("1200 W Madison")
    assert reply.startswith("Address lookup is down for a moment.")
    assert PhoneRow.objects.get().state == "address"
    settings.GEOCODER = "address_points"
    assert rosa.says("1200 W Madison").startswith("1200 W Madison St, Near West Side")


def test_a_refused_submission_is_kept_and_send_tries_again(rosa: Phone, settings: Any) -> None:
    settings.SMS_MAX_REPORTS_PER_DAY = 1
    for _ in range(2):
        rosa.says("street light out at 600 N Michigan Ave")
        rosa.says("YES")
        last = rosa.says("It flickers, then goes dark")
    assert last.startswith("Sorry, we could not file your report:")
    assert last.endswith("Reply SEND to try again.")
    assert ServiceRequest.objects.count() == 1

    settings.SMS_MAX_REPORTS_PER_DAY = 2
    done = rosa.says("SEND")

    assert done.startswith("Thank you. Your tracking number is")
    second = ServiceRequest.objects.order_by("-id").first()
    assert second is not None
    assert (
        second.description == "street light out at 600 N Michigan Ave\nIt flickers, then goes dark"
    )


def test_every_reply_fits_the_segments_allowed(
    rosa: Phone, streets: Services, settings: Any
) -> None:
    settings.SMS_MAX_SEGMENTS = 1
    streets.pothole.service_name = "Pothole in Street " + "with a very long name " * 8
    streets.pothole.save()
    for text in ("REPORT", "HELP", "pothole at 1200 W Madison"):
        for reply in rosa.text(text):
            assert segments.count(reply) == 1, reply


def test_segments_are_counted_as_carriers_count_them() -> None:
    assert segments.count("a" * 160) == 1
    assert segments.count("a" * 161) == 2
    assert segments.count("a" * 306) == 2  # 153 per part once split
    assert segments.count("a" * 307) == 3
    assert segments.count("ñ" * 160) == 1  # ñ is in the GSM alphabet
    assert segments.count("í" * 70) == 1  # í is not: UCS-2, 70 per segment
    assert segments.count("í" * 71) == 2
    assert segments.count("€" * 80) == 1 and segments.count("€" * 81) == 2  # escaped: 2 each
    assert segments.count("🚧" * 35) == 1 and segments.count("🚧" * 36) == 2  # 2 units each
    cut = segments.fit("word " * 200, 2)
    assert segments.count(cut) == 2 and cut.endswith("...")


def test_checks_warn_when_sms_is_on_without_credentials(settings: Any) -> None:
    settings.SMS_ENABLED = True
    settings.TWILIO_AUTH_TOKEN = ""
    settings.TWILIO_ACCOUNT_SID = ""
    ids = {message.id for message in run_checks()}
    assert {"civic311.sms.W001", "civic311.sms.W002"} <= ids
    settings.SMS_ENABLED = False
    ids = {message.id for message in run_checks()}
    assert not ids & {"civic311.sms.W001", "civic311.sms.W002"}
