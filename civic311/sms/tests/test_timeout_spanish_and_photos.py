"""A dialog left alone ends; Spanish from the first word to the tracking number; MMS photos
fetched from the provider (a local server at its one seam) and attached to the request."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from civic311.media.models import Photo
from civic311.messaging.models import Phone as PhoneRow
from civic311.service_requests.models import ReporterContact, ServiceRequest
from civic311.sms.tests.provider_server import LocalTwilio
from civic311.sms.tests.texting import Phone
from civic311.testing import images

pytestmark = pytest.mark.django_db


def _later(minutes: int) -> None:
    PhoneRow.objects.update(state_at=timezone.now() - timedelta(minutes=minutes))


def test_an_abandoned_dialog_times_out(rosa: Phone, settings: Any) -> None:
    settings.SMS_DIALOG_TIMEOUT_MINUTES = 30
    rosa.says("pothole at 1200 W Madison")
    rosa.says("YES")
    _later(29)
    assert rosa.says("1").startswith("(2/2)")  # still within the timeout
    _later(31)

    replies = rosa.text("5")

    assert replies[0] == "Your unfinished report was not sent: there was no reply for a while."
    # The message is then read afresh: "5" is no answer to anything any more.
    assert "found no request" in replies[1] or "What is the problem" in replies[1]
    assert PhoneRow.objects.get().state == "idle"
    assert ServiceRequest.objects.count() == 0


def test_a_timed_out_dialog_makes_room_for_a_new_report(rosa: Phone) -> None:
    rosa.says("REPORT")
    _later(120)
    replies = rosa.text("graffiti at 600 N Michigan Ave")
    assert replies[0].startswith("Your unfinished report was not sent")
    assert replies[1].startswith("Graffiti Removal. 600 N Michigan Ave, Near North Side")


def test_spanish_throughout(lucia: Phone) -> None:
    menu = lucia.says("REPORTAR")
    assert menu.startswith(
        "311 por mensaje de texto. ¿Cuál es el problema? Responda con su número:"
    )
    # The catalogue's Spanish names and questions (catalog.translation), where it has them.
    number = next(p.split()[0] for p in menu.split(":", 1)[1].split(", ") if "Bache" in p)
    assert lucia.says(number) == (
        "Bache en la calle. ¿Dónde está? Envíe la dirección, por ejemplo 1200 W Madison St."
    )
    assert lucia.says("1200 W Madison") == (
        "1200 W Madison St, Near West Side - responda SI, o envíe una dirección mejor."
    )
    assert lucia.says("sí") == (
        "(1/2) ¿Dónde está el bache? 1 En la calle, 2 En un cruce peatonal, 3 Callejón."
    )
    assert lucia.says("dos").startswith("Responda con uno de los números, por favor.")
    assert lucia.says("en un cruce peatonal").endswith(
        "Envíe un número. (Opcional: responda OMITIR.)"
    )
    assert lucia.says("omitir").startswith("¿Algo más? Envíe una descripción breve, u OMITIR.")
    done = lucia.says("Es muy profundo")
    request = ServiceRequest.objects.get()
    assert done.startswith(f"Gracias. Su número de seguimiento es {request.tracking_number}.")
    assert request.answers == {"location": "crosswalk"}
    assert request.description == "Es muy profundo"
    assert ReporterContact.objects.get(request=request).language == "es"
    status = lucia.says(f"estado {request.tracking_number}")
    assert status.startswith(
        f"Solicitud 311 {request.tracking_number} (Bache en la calle en 1200 W Madison St): "
        "Abierta."
    )
    assert lucia.says("ayuda").startswith("311 por mensaje de texto. REPORTAR para reportar")


def test_spanish_words_start_a_spanish_dialog(lucia: Phone) -> None:
    reply = lucia.says("hay un bache en 1200 W Madison")
    assert reply == (
        "Bache en la calle. 1200 W Madison St, Near West Side - responda SI, o envíe una "
        "dirección mejor."
    )
    lucia.says("SI")
    lucia.says("1")
    lucia.says("omitir")
    assert lucia.says("OMITIR").startswith("Gracias.")


def test_switching_language_mid_dialog(rosa: Phone) -> None:
    rosa.says("pothole at 1200 W Madison")
    replies = rosa.text("ESPAÑOL")
    assert replies == [
        "De acuerdo, le escribiremos en español.",
        "1200 W Madison St, Near West Side - responda SI, o envíe una dirección mejor.",
    ]
    assert rosa.says("si").startswith("(1/2)")
    back = rosa.text("ENGLISH")
    assert back[0] == "OK, we will write in English."
    assert back[1] == "(1/2) Question location? 1 In the street, 2 In a crosswalk, 3 Alley."


def test_the_switch_is_remembered_for_what_follows(rosa: Phone) -> None:
    rosa.says("ESPANOL")
    assert PhoneRow.objects.get().language == "es"
    # Words that say nothing about a language are answered in the one chosen.
    assert rosa.says("26-09999999").startswith("No encontramos la solicitud 26-09999999.")
    # A keyword in English starts a dialog in English: the language it started in.
    assert rosa.says("REPORT").startswith("City 311 by text.")


def test_a_photo_sent_by_mms_is_attached_to_the_request(
    rosa: Phone, twilio_api: LocalTwilio, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    twilio_api.media["ME1"] = (images.jpeg(), "image/jpeg")
    url = twilio_api.media_url("ME1")

    first = rosa.says("pothole at 1200 W Madison", media=[(url, "image/jpeg")])
    assert first.startswith("Photo received. Pothole in Street. 1200 W Madison St")
    assert twilio_api.media_requests == 0  # fetched only when the report is submitted
    rosa.says("YES")
    rosa.says("1")
    rosa.says("SKIP")
    assert rosa.says("SKIP").startswith("Thank you.")

    request = ServiceRequest.objects.get()
    [photo] = Photo.objects.filter(request=request)
    assert photo.content_type == "image/jpeg"
    assert twilio_api.media_requests == 1


def test_a_photo_that_cannot_be_fetched_does_not_lose_the_report(
    rosa: Phone, twilio_api: LocalTwilio, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    rosa.says("pothole at 1200 W Madison", media=[(twilio_api.media_url("gone"), "image/jpeg")])
    rosa.says("YES")
    rosa.says("1")
    rosa.says("SKIP")
    assert rosa.says("SKIP").startswith("Thank you.")
    assert ServiceRequest.objects.count() == 1
    assert Photo.objects.count() == 0


def test_a_photo_alone_starts_a_report(rosa: Phone, twilio_api: LocalTwilio) -> None:
    twilio_api.media["ME2"] = (images.jpeg(), "image/jpeg")
    reply = rosa.says("", media=[(twilio_api.media_url("ME2"), "image/jpeg")])
    assert reply.startswith("Photo received. City 311 by text. What is the problem?")


def test_sms_text_tries_the_dialog_locally(streets: Any) -> None:
    out = StringIO()
    call_command("sms_text", "+13125550100", "pothole", "at", "1200", "W", "Madison", stdout=out)
    assert out.getvalue() == (
        "< Pothole in Street. 1200 W Madison St, Near West Side - reply YES, or send a better "
        "address.\n"
    )
