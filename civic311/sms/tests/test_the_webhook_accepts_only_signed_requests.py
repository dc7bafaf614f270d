"""Only the provider, signing with the account's auth token, can post to /sms/inbound: an
unsigned or forged request is refused with 403 and leaves nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from twilio.request_validator import RequestValidator

from civic311.messaging.models import Message
from civic311.messaging.models import Phone as PhoneRow
from civic311.messaging.twilio import signature
from civic311.service_requests.models import ServiceRequest
from civic311.sms.tests.texting import AUTH_TOKEN, URL, Phone, new_sid, replies_of, sign

pytestmark = pytest.mark.django_db


def _nothing_stored() -> None:
    assert Message.objects.count() == 0
    assert PhoneRow.objects.count() == 0
    assert ServiceRequest.objects.count() == 0


def test_a_signed_message_is_answered_in_twiml(rosa: Phone) -> None:
    [reply] = rosa.text("HELP")
    assert "REPORT" in reply and "STOP" in reply
    assert Message.objects.filter(direction="in", body="HELP").count() == 1


def test_a_forged_signature_is_refused_and_nothing_is_stored(rosa: Phone) -> None:
    params = rosa.params("pothole at 1200 W Madison", sid=new_sid())
    forged = sign(params, token="not-the-city-token-0000000000000")
    response = rosa.post(params, signature=forged)
    assert response.status_code == 403
    _nothing_stored()


def test_an_unsigned_request_is_refused(rosa: Phone) -> None:
    params = rosa.params("STATUS 26-00000001", sid=new_sid())
    response = rosa.client.post("/sms/inbound", params)
    assert response.status_code == 403
    _nothing_stored()


def test_a_signed_request_whose_body_was_changed_is_refused(rosa: Phone) -> None:
    params = rosa.params("HELP", sid=new_sid())
    good = sign(params)
    params["Body"] = "REPORT"
    assert rosa.post(params, signature=good).status_code == 403
    _nothing_stored()


def test_without_an_auth_token_everything_is_refused(rosa: Phone, settings: Any) -> None:
    settings.TWILIO_AUTH_TOKEN = ""
    params = rosa.params("HELP", sid=new_sid())
    assert rosa.post(params, signature=sign(params, token="")).status_code == 403
    _nothing_stored()


def test_the_webhook_is_absent_while_sms_is_off(rosa: Phone, settings: Any) -> None:
    settings.SMS_ENABLED = False
    params = rosa.params("HELP", sid=new_sid())
    assert rosa.post(params).status_code == 404
    _nothing_stored()


def test_only_post_is_accepted(rosa: Phone) -> None:
    assert rosa.client.get("/sms/inbound").status_code == 405


def test_our_signature_is_the_one_twilio_computes() -> None:
    validator = RequestValidator(AUTH_TOKEN)
    cases = [
        (URL, {"Body": "hola ñandú — 🚧", "From": "+13125550100", "MessageSid": "SM1"}),
        ("https://311.example.org/sms/inbound?x=1", {"A": "1", "B": "", "a": "2"}),
        ("https://311.example.org/sms/inbound", {}),
    ]
    for url, params in cases:
        assert signature(AUTH_TOKEN, url, params.items()) == validator.compute_signature(
            url, params
        )


def test_behind_a_tls_proxy_the_https_url_is_checked(rosa: Phone, settings: Any) -> None:
    settings.SMS_TRUST_FORWARDED_PROTO = True
    params = rosa.params("HELP", sid=new_sid())
    https = sign(params, url="https://testserver/sms/inbound")
    ok = rosa.post(params, signature=https, HTTP_X_FORWARDED_PROTO="https")
    assert ok.status_code == 200
    # Without trusting the proxy, the same request is checked against http:// and refused.
    settings.SMS_TRUST_FORWARDED_PROTO = False
    params = rosa.params("HELP", sid=new_sid())
    https = sign(params, url="https://testserver/sms/inbound")
    assert rosa.post(params, signature=https, HTTP_X_FORWARDED_PROTO="https").status_code == 403


def test_the_configured_public_url_is_what_is_signed(rosa: Phone, settings: Any) -> None:
    settings.SMS_WEBHOOK_URL = "https://311.example.org/sms/inbound"
    params = rosa.params("HELP", sid=new_sid())
    signed = sign(params, url="https://311.example.org/sms/inbound")
    assert rosa.post(params, signature=signed).status_code == 200
    assert rosa.post(params | {"MessageSid": new_sid()}).status_code == 403


def test_a_signed_post_that_is_not_a_message_is_answered_with_nothing(rosa: Phone) -> None:
    # e.g. a delivery-status callback pointed at the wrong URL: no MessageSid or no From.
    params = {"AccountSid": "AC1", "MessageStatus": "delivered", "To": "+13125550311"}
    response = rosa.post(params)
    assert response.status_code == 200
    assert replies_of(response.content) == []
    _nothing_stored()


def test_staff_read_phones_and_messages_in_the_admin(rosa: Phone) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    rosa.says("HELP")
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x" * 16)
    client = Client()
    client.force_login(admin)
    phones = client.get("/admin/messaging/phone/")
    messages = client.get("/admin/messaging/message/", {"q": "+13125550100"})
    assert phones.status_code == messages.status_code == 200
    assert b"+13125550100" in phones.content
    assert b"HELP" in messages.content
