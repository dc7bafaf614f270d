"""One email, in the follower's language: plain text and HTML from the same translatable
templates, with one-click unsubscribe headers and a Message-ID that never changes for a
delivery (so a receiving server, or a person, can tell a resend from a new message)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from civic311.choices import NotificationKind, Status, TimelineType
from civic311.notifications.models import Delivery
from civic311.service_requests import selectors
from civic311.service_requests.models import ServiceRequest, TimelineEntry
from civic311.service_requests.tracking import tracking_url

_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")


def message_id(delivery: Delivery) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "civic311.localhost"
    digest = salted_hmac("civic311.notifications.message-id", str(delivery.pk)).hexdigest()[:16]
    return f"<delivery-{delivery.pk}.{digest}@{domain}>"


def unsubscribe_url(token: str) -> str:
    return f"{settings.SITE_URL}/notifications/unsubscribe/{token}"


def confirm_url(token: str) -> str:
    return f"{settings.SITE_URL}/notifications/confirm/{token}"


def _local(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return formats.date_format(
        moment.astimezone(ZoneInfo(settings.CITY_TIME_ZONE)), "DATETIME_FORMAT"
    )


def _department_then(entry: TimelineEntry | None, about: ServiceRequest) -> str:
    """The department the entry left the request with (a reroute names where it went), not
    where it is when the email goes out."""
    target = entry.data.get("to") if entry is not None else None
    if isinstance(target, dict) and isinstance(target.get("department"), str):
        name = selectors.department_names({target["department"]}).get(target["department"])
        if name:
            return name
    return about.department.name


def _scheduled_for(entry: TimelineEntry | None) -> str:
    if entry is None or entry.type != TimelineType.SCHEDULED:
        return ""
    try:
        return _local(datetime.fromisoformat(str(entry.data.get("for"))))
    except ValueError:
        return ""


def _subject(kind: str, number: str, department: str) -> str:
    subjects = {
        NotificationKind.CONFIRM: _("Confirm: follow 311 request %(number)s"),
        NotificationKind.RECEIVED: _("311 request %(number)s received"),
        NotificationKind.STATUS: _("311 request %(number)s: new status"),
        NotificationKind.CLOSED: _("311 request %(number)s closed"),
        NotificationKind.REOPENED: _("311 request %(number)s reopened"),
        NotificationKind.MOVED: _("311 request %(number)s: now followed as a duplicate"),
        NotificationKind.REROUTED: _("311 request %(number)s: passed to %(department)s"),
    }
    return subjects[NotificationKind(kind)] % {"number": number, "department": department}


def build(delivery: Delivery) -> EmailMultiAlternatives:
    """The email for `delivery`. Holds no personal data of the reporter: followers other than
    the reporter get exactly the same text."""
    subscription = delivery.subscription
    request = subscription.request
    entry = delivery.entry
    # A "moved" email is about the duplicate (the entry's request) and names the parent.
    about = entry.request if entry is not None else request
    with translation.override(subscription.language):
        status = entry.data.get("status", about.status) if entry is not None else about.status
        context = {
            "kind": delivery.kind,
            "number": about.tracking_number,
            "service": about.service.service_name,
            "address": about.address,
            "status": Status(status).label if status in Status.values else status,
            "note": entry.note if entry is not None else "",
            "when": _local(entry.at if entry is not None else about.requested_at),
            "expected": _local(about.expected_at) if not about.is_closed else "",
            "tracking_url": tracking_url(about.tracking_number),
            "parent_number": request.tracking_number,
            "parent_url": tracking_url(request.tracking_number),
            "confirm_url": confirm_url(subscription.token),
            "unsubscribe_url": unsubscribe_url(subscription.token),
            "is_reporter": subscription.is_reporter,
            "department": _department_then(entry, about),
            "scheduled_for": _scheduled_for(entry),
        }
        subject = _subject(delivery.kind, about.tracking_number, str(context["department"]))
        rendered = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    text = _BLANK_LINES.sub("\n\n", rendered).strip() + "\n"
    headers = {
        "Message-ID": message_id(delivery),
        "Auto-Submitted": "auto-generated",
    }
    if delivery.kind != NotificationKind.CONFIRM:
        # RFC 2369 and RFC 8058: mail clients offer "unsubscribe" and POST to it in one click.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.address],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    return email
