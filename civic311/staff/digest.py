"""The daily SLA digest: one email per department per day listing its open requests past the
city's target, to the department's address (or, without one, its supervisors).

Each department-day is claimed with a row (DigestSent, unique per department and day) before
the mail server is spoken to, so running the digest twice, from two schedulers or after a
restart, never sends a day twice. A send that fails gives its claim back, so the next run tries
again; a claim left by a process that died mid-send is taken over after STALE_CLAIM.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from civic311.choices import DigestStatus, Role
from civic311.departments.models import Department, Membership
from civic311.service_requests import selectors
from civic311.service_requests.models import ServiceRequest
from civic311.staff.models import DigestSent
from civic311.staff.templatetags.calls import request_url

log = logging.getLogger(__name__)

LISTED = 200  # requests listed in one email; the count says how many more there are
STALE_CLAIM = timedelta(hours=1)


def city_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(settings.CITY_TIME_ZONE)).date()


def day_end(day: date) -> datetime:
    """Midnight at the end of `day` in the city: what is overdue "on" that day."""
    tz = ZoneInfo(settings.CITY_TIME_ZONE)
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)


@dataclass(frozen=True)
class Overdue:
    total: int
    listed: list[ServiceRequest] = field(default_factory=list)


def overdue(department: Department, *, now: datetime, limit: int = LISTED) -> Overdue:
    """The department's open requests past their target, most overdue first (two queries on the
    partial index of open requests by department and target)."""
    qs = selectors.only_open(
        ServiceRequest.objects.filter(department=department, is_test=False, expected_at__lt=now)
    )
    total = qs.count()
    if not total:
        return Overdue(0)
    listed = list(qs.select_related("service").order_by("expected_at", "id")[:limit])
    return Overdue(total, listed)


def recipients(department: Department) -> list[str]:
    if department.email:
        return [department.email]
    return sorted(
        {
            address
            for address in Membership.objects.filter(
                department=department, role=Role.SUPERVISOR, user__is_active=True
            ).values_list("user__email", flat=True)
            if address
        }
    )


def build(
    department: Department, day: date, found: Overdue, to: list[str], *, now: datetime
) -> EmailMultiAlternatives:
    tz = ZoneInfo(settings.CITY_TIME_ZONE)
    with translation.override(settings.LANGUAGE_CODE):
        rows = [
            {
                "number": sr.tracking_number,
                "url": f"{settings.SITE_URL}{request_url(sr.tracking_number)}",
                "service": sr.service.service_name,
                "address": sr.address,
                "ward": sr.ward,
                "status": sr.get_status_display(),
                "due": sr.expected_at.astimezone(tz) if sr.expected_at else None,
                "days_late": (now - sr.expected_at).days if sr.expected_at else 0,
            }
            for sr in found.listed
        ]
        context = {
            "department": department.name,
            "day": day,
            "total": found.total,
            "rows": rows,
            "more": found.total - len(rows),
            "queue_url": f"{settings.SITE_URL}{reverse('staff:queue')}",
        }
        subject = _("%(department)s: %(count)d overdue 311 requests on %(day)s") % {
            "department": department.name,
            "count": found.total,
            "day": day.isoformat(),
        }
        text = render_to_string("staff/email/sla_digest.txt", context)
        html = render_to_string("staff/email/sla_digest.html", context)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "civic311.localhost"
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={
            # The same for a resend of the same digest, so it can be recognised as one.
            "Message-ID": f"<sla-digest.{department.code}.{day.isoformat()}@{domain}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    email.attach_alternative(html, "text/html")
    return email


def _claim(department: Department, day: date, now: datetime) -> DigestSent | None:
    """This run's claim on the department-day, or None when another run has it or it is done."""
    try:
        with transaction.atomic():
            return DigestSent.objects.create(
                department=department, day=day, status=DigestStatus.SENDING, claimed_at=now
            )
    except IntegrityError:
        pass
    taken = DigestSent.objects.filter(
        department=department,
        day=day,
        status=DigestStatus.SENDING,
        claimed_at__lt=now - STALE_CLAIM,
    ).update(claimed_at=now)
    return DigestSent.objects.get(department=department, day=day) if taken else None


def send_department_digest(
    department: Department, day: date, *, now: datetime | None = None
) -> str:
    """Send (at most once) the department's digest for `day`; returns what happened."""
    now = now or timezone.now()
    claim = _claim(department, day, now)
    if claim is None:
        return "already"
    found = overdue(department, now=min(now, day_end(day)))
    to = recipients(department)
    if not found.total or not to:
        status = DigestStatus.NOTHING_OVERDUE if not found.total else DigestStatus.NO_RECIPIENTS
        _record(claim, status=status, overdue=found.total)
        return status
    try:
        get_connection(fail_silently=False).send_messages(
            [build(department, day, found, to, now=now)]
        )
    except Exception:
        # Give the day back: the next run sends it.
        DigestSent.objects.filter(pk=claim.pk, status=DigestStatus.SENDING).delete()
        log.exception("SLA digest for %s on %s failed", department.code, day)
        raise
    _record(
        claim,
        status=DigestStatus.SENT,
        overdue=found.total,
        recipients=", ".join(to),
        sent_at=timezone.now(),
    )
    return DigestStatus.SENT


def _record(claim: DigestSent, **outcome: object) -> None:
    DigestSent.objects.filter(pk=claim.pk).update(**outcome)


def send_digests(day: date | None = None, *, now: datetime | None = None) -> dict[str, str]:
    """Every department's digest for `day` (today in the city by default)."""
    now = now or timezone.now()
    day = day or city_day(now)
    outcomes: dict[str, str] = {}
    for department in Department.objects.order_by("code"):
        try:
            outcomes[department.code] = send_department_digest(department, day, now=now)
        except Exception as exc:  # one department's mail trouble must not stop the others
            outcomes[department.code] = f"failed: {type(exc).__name__}"
    return outcomes


@task(queue_name="notifications")
def send_sla_digests(day: str = "") -> dict[str, str]:
    """The task the scheduler enqueues; safe to run any number of times for the same day."""
    return send_digests(date.fromisoformat(day) if day else None)
