"""The provider's webhook: /sms/inbound. Signed requests only; the reply is the provider's
markup (TwiML for Twilio) carrying the dialog's answer."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from civic311.messaging.provider import get_provider
from civic311.sms import conversation

log = logging.getLogger(__name__)


@csrf_exempt  # the provider's signature is what authenticates it
@require_POST
def inbound(request: HttpRequest) -> HttpResponse:
    if not settings.SMS_ENABLED:
        raise Http404("text messages are not enabled")
    provider = get_provider()
    if not provider.verify(request):
        log.warning("rejected an SMS webhook request with a missing or wrong signature")
        return HttpResponseForbidden("invalid signature", content_type="text/plain")
    message = provider.parse(request)
    if message is None:
        return provider.reply([])
    outcome = conversation.receive(message)
    return provider.reply(outcome.replies)
