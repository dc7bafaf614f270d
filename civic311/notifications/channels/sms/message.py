"""One update by text, in the follower's language: short, with the tracking number and URL."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from civic311.catalog.translation import translated
from civic311.choices import NotificationKind, Status
from civic311.messaging import segments
from civic311.notifications.models import Delivery
from civic311.service_requests.tracking import tracking_url


def build(delivery: Delivery) -> str:
    subscription = delivery.subscription
    request = subscription.request
    entry = delivery.entry
    about = entry.request if entry is not None else request
    number = about.tracking_number
    with translation.override(subscription.language):
        if delivery.kind == NotificationKind.RECEIVED:
            text = _(
                "311 request %(number)s (%(service)s) received. We will text you when it is closed."
            ) % {"number": number, "service": translated(about.service, "service_name")}
        elif delivery.kind == NotificationKind.CLOSED:
            status = entry.data.get("to", about.status) if entry is not None else about.status
            label = Status(status).label if status in Status.values else status
            text = _("311 request %(number)s (%(service)s) is closed: %(status)s.") % {
                "number": number,
                "service": translated(about.service, "service_name"),
                "status": label,
            }
            if entry is not None and entry.note:
                text += " " + entry.note
        elif delivery.kind == NotificationKind.REOPENED:
            text = _("311 request %(number)s (%(service)s) was reopened.") % {
                "number": number,
                "service": translated(about.service, "service_name"),
            }
        elif delivery.kind == NotificationKind.MOVED:
            number = request.tracking_number
            text = _(
                "311 request %(duplicate)s was joined to %(number)s, which you now follow."
            ) % {"duplicate": about.tracking_number, "number": number}
        else:
            text = _("311 request %(number)s has news.") % {"number": number}
        tail = f" {tracking_url(number)} " + _("STOP to end.")
    # The URL and the opt-out reminder always fit: the note is what gets shortened.
    room = settings.SMS_MAX_SEGMENTS
    if segments.count(text + tail) <= room:
        return text + tail
    while text and segments.count(text + "..." + tail) > room:
        text = text[:-5]
    return text.rstrip() + "..." + tail
