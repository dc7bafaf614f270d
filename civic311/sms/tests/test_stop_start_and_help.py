"""STOP (and the carriers' other opt-out words, English and Spanish) is always honoured: a
confirmation, then nothing at all is sent to the number, dialog replies and updates included,
until it texts START. HELP always answers."""

from __future__ import annotations

from typing import Any

import pytest

from civic311.messaging.models import Message
from civic311.messaging.models import Phone as PhoneRow
from civic311.notifications.models import Subscription
from civic311.service_requests.models import ServiceRequest
from civic311.sms.tests.texting import Phone

pytestmark = pytest.mark.django_db


def test_stop_then_another_message_sends_nothing(rosa: Phone, streets: Any) -> None:
    rosa.says("pothole at 1200 W Madison")
    assert (
        rosa.says("STOP") == "You will get no more texts from City 311. Reply START to come back."
    )

    assert rosa.text("YES") == []
    assert rosa.text("REPORT") == []
    assert rosa.text("pothole at 1200 W Madison") == []
    assert ServiceRequest.objects.count() == 0
    # What they sent is kept; nothing went back.
    assert Message.objects.filter(direction="in").count() == 5
    assert Message.objects.filter(direction="out").count() == 2


@pytest.mark.parametrize(
    "word", ["stop", "Stop.", "UNSUBSCRIBE", "cancel", "END", "quit", "STOPALL"]
)
def test_every_carrier_opt_out_word_works_mid_dialog(rosa: Phone, word: str) -> None:
    rosa.says("REPORT")
    assert rosa.says(word).startswith("You will get no more texts")
    assert PhoneRow.objects.get().opted_out_at is not None


@pytest.mark.parametrize("word", ["ALTO", "parar", "Cancelar", "BAJA"])
def test_spanish_opt_out_words_answer_in_spanish(lucia: Phone, word: str) -> None:
    assert lucia.says(word) == "No recibirá más mensajes de 311. Responda START para volver."
    assert lucia.text("hola") == []


def test_stop_ends_every_follow(rosa: Phone, streets: Any) -> None:
    rosa.says("pothole at 1200 W Madison")
    rosa.says("YES")
    rosa.says("1")
    rosa.says("SKIP")
    rosa.says("SKIP")
    assert Subscription.objects.get().is_active
    rosa.says("STOP")
    assert not Subscription.objects.get().is_active


def test_a_stop_inside_a_sentence_is_not_an_opt_out(rosa: Phone) -> None:
    reply = rosa.says("stop sign knocked down at 1200 W Madison")
    assert "no more texts" not in reply
    assert PhoneRow.objects.get().opted_out_at is None


def test_start_comes_back(rosa: Phone) -> None:
    rosa.says("STOP")
    assert (
        rosa.says("START") == "Welcome back to City 311 by text. Reply HELP for help, STOP to end."
    )
    assert rosa.says("REPORT").startswith("City 311 by text. What is the problem?")


def test_help_answers_even_after_stop(rosa: Phone) -> None:
    help_text = rosa.says("HELP")
    assert "REPORT" in help_text and "STATUS" in help_text and "STOP" in help_text
    assert "911" in help_text
    rosa.says("STOP")
    assert rosa.says("help") == help_text
    assert rosa.says("AYUDA").startswith("311 por mensaje de texto.")
