"""Followers by phone are texted when their request is closed or reopened: through the same
outbox and worker as email (a Delivery claimed, then sent, retried with backoff on a temporary
provider error), with the provider replaced at its one seam by a local server that speaks
Twilio's REST shape."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from civic311.choices import Channel, NotificationStatus, Status
from civic311.messaging import segments
from civic311.messaging.models import Message
from civic311.messaging.selectors import transcript_for
from civic311.notifications.models import Delivery
from civic311.service_requests.actions import Actor, close, reopen, submit_request
from civic311.service_requests.models import ServiceRequest
from civic311.sms.tests.provider_server import LocalTwilio
from civic311.sms.tests.texting import CITY_NUMBER, Phone
from civic311.testing.mail import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

CREW = Actor(label="Transportation")


def _pothole(address: str = "1210 W Madison St") -> ServiceRequest:
    return submit_request(
        service_code="pothole",
        channel=Channel.WEB,
        actor=Actor.resident(),
        address=address,
        answers={"location": "street"},
    ).request


def _time_passes() -> None:
    now = timezone.now()
    DBTaskResult.objects.filter(status="READY").update(run_after=now)
    Delivery.objects.filter(status=NotificationStatus.PENDING).update(next_attempt_at=now)


def test_a_follower_is_texted_when_the_request_closes_and_reopens(
    rosa: Phone, twilio_api: LocalTwilio
) -> None:
    request = _pothole()
    rosa.says(f"FOLLOW {request.tracking_number}")
    run_worker()  # request.opened: nothing for phones
    assert twilio_api.sent == []

    close(request=request, status=Status.CLOSED_FIXED, actor=CREW, note="Filled today.")
    run_worker()

    [sent] = twilio_api.sent
    number = request.tracking_number
    assert (sent["To"], sent["From"]) == ("+13125550100", CITY_NUMBER)
    assert sent["Body"] == (
        f"311 request {number} (Pothole in Street) is closed: Completed. Filled today. "
        f"https://311.example.org/track/{number} STOP to end."
    )
    delivery = Delivery.objects.get()
    assert delivery.status == NotificationStatus.SENT
    assert delivery.message_id == "SM" + "0" * 31 + "1"

    reopen(request=request, actor=CREW, note="Sunk again.")
    run_worker()
    assert twilio_api.to("+13125550100")[1].startswith(
        f"311 request {number} (Pothole in Street) was reopened."
    )
    # Updates join the transcript staff read.
    assert [line.body for line in transcript_for(request)][-1] == twilio_api.sent[1]["Body"]


def test_a_temporary_provider_error_is_retried_with_backoff(
    rosa: Phone, twilio_api: LocalTwilio, settings: Any
) -> None:
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    request = _pothole()
    rosa.says(f"FOLLOW {request.tracking_number}")
    twilio_api.answers = [503]
    close(request=request, status=Status.CLOSED_FIXED, actor=CREW)

    before = timezone.now()
    run_worker()

    assert twilio_api.sent == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (NotificationStatus.PENDING, 1)
    assert "HTTP 503" in delivery.last_error
    assert delivery.next_attempt_at >= before + timedelta(seconds=60)
    assert DBTaskResult.objects.get(status="READY").run_after == delivery.next_attempt_at

    twilio_api.answers = [429]  # Twilio's "Too Many Requests" is temporary too
    _time_passes()
    run_worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (NotificationStatus.PENDING, 2)

    _time_passes()
    run_worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (NotificationStatus.SENT, 3)
    assert len(twilio_api.sent) == 1


def test_a_refused_number_fails_at_once(rosa: Phone, twilio_api: LocalTwilio) -> None:
    request = _pothole()
    rosa.says(f"FOLLOW {request.tracking_number}")
    twilio_api.answers = [400]
    close(request=request, status=Status.CLOSED_FIXED, actor=CREW)
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (NotificationStatus.FAILED, 1)
    assert "21211" in delivery.last_error


def test_stop_before_the_worker_runs_sends_nothing(rosa: Phone, twilio_api: LocalTwilio) -> None:
    request = _pothole()
    rosa.says(f"FOLLOW {request.tracking_number}")
    close(request=request, status=Status.CLOSED_FIXED, actor=CREW)
    rosa.says("STOP")
    run_worker()
    assert twilio_api.sent == []
    assert set(Delivery.objects.values_list("status", flat=True)) <= {NotificationStatus.CANCELLED}


def test_more_texts_than_the_hourly_limit_wait_for_the_next_hour(
    rosa: Phone, twilio_api: LocalTwilio, settings: Any
) -> None:
    settings.SMS_MAX_PER_NUMBER_PER_HOUR = 1
    first, second = _pothole(), _pothole("600 N Michigan Ave")
    rosa.says(f"FOLLOW {first.tracking_number}")
    rosa.says(f"FOLLOW {second.tracking_number}")
    close(request=first, status=Status.CLOSED_FIXED, actor=CREW)
    close(request=second, status=Status.CLOSED_FIXED, actor=CREW)

    run_worker()

    assert len(twilio_api.sent) == 1
    waiting = Delivery.objects.get(status=NotificationStatus.PENDING)
    sent = Delivery.objects.get(status=NotificationStatus.SENT)
    assert waiting.attempts == 0  # waiting is not failing
    assert waiting.next_attempt_at == sent.sent_at + timedelta(hours=1)


def test_a_long_closing_note_is_cut_to_fit_and_keeps_the_link(
    rosa: Phone, twilio_api: LocalTwilio, settings: Any
) -> None:
    settings.SMS_MAX_SEGMENTS = 2
    request = _pothole()
    rosa.says(f"FOLLOW {request.tracking_number}")
    close(request=request, status=Status.CLOSED_FIXED, actor=CREW, note="Patched. " * 80)
    run_worker()
    [body] = twilio_api.to("+13125550100")
    assert segments.count(body) <= 2
    assert body.endswith(f"https://311.example.org/track/{request.tracking_number} STOP to end.")


def test_updates_are_in_the_language_the_follower_used(
    lucia: Phone, twilio_api: LocalTwilio
) -> None:
    request = _pothole()
    lucia.says(f"SEGUIR {request.tracking_number}")
    close(request=request, status=Status.CLOSED_FIXED, actor=CREW)
    run_worker()
    [body] = twilio_api.to("+17735550199")
    assert body.startswith(f"Solicitud 311 {request.tracking_number} (Bache en la calle) cerrada:")
    assert Message.objects.filter(direction="out", body=body).exists()


def test_a_caller_who_asked_the_operator_for_texts_gets_received(
    sms_on: None, streets: Any, twilio_api: LocalTwilio
) -> None:
    from civic311.notifications.subscriptions import follow_by_phone

    request = submit_request(
        service_code="pothole",
        channel=Channel.PHONE,
        actor=Actor.resident(),
        address="1210 W Madison St",
        answers={"location": "street"},
    ).request
    follow_by_phone(request=request, phone="+13125550142", language="en", is_reporter=True)
    run_worker()
    [body] = twilio_api.to("+13125550142")
    assert body == (
        f"311 request {request.tracking_number} (Pothole in Street) received. We will text you "
        f"when it is closed. https://311.example.org/track/{request.tracking_number} STOP to end."
    )


def test_a_report_made_by_text_is_not_told_received_twice(
    rosa: Phone, twilio_api: LocalTwilio
) -> None:
    rosa.says("pothole at 1200 W Madison")
    rosa.says("YES")
    rosa.says("1")
    rosa.says("SKIP")
    assert rosa.says("SKIP").startswith("Thank you. Your tracking number is")
    run_worker()
    assert twilio_api.sent == []
