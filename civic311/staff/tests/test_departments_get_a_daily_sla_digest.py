"""Each department gets one email a day listing its open requests past the city's target,
through a real SMTP server (aiosmtpd), never twice for the same day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from civic311.choices import DigestStatus, Status
from civic311.service_requests import actions
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import ServiceRequest
from civic311.staff import digest
from civic311.staff.models import DigestSent
from civic311.staff.tests.reports import Report, report
from civic311.testing import Departments, Staff
from civic311.testing.mail import Mailbox, html_of, mailbox, run_worker, text_of

pytestmark = pytest.mark.django_db
__all__ = ["mailbox", "report"]

CDOT = "cdot@city.example"
WANDA = "wanda_water_supervisor@city.example"  # Water has no address: its supervisor


@pytest.fixture
def late(report: Report, departments: Departments, staff: Staff) -> dict[str, ServiceRequest]:
    departments.transportation.email = CDOT
    departments.transportation.save()
    now = timezone.now()
    made = {
        "pothole_late": report("pothole", at=now - timedelta(days=10), phone="3125550100"),
        "pothole_very_late": report(
            "pothole", at=now - timedelta(days=20), where=(41.88, -87.69), email="p@example.org"
        ),
        "pothole_in_time": report("pothole", at=now - timedelta(days=1), where=(41.86, -87.69)),
        "sewer_late": report("sewer_cave_in", at=now - timedelta(days=5)),
        "sewer_closed": report("sewer_cave_in", at=now - timedelta(days=6), where=(41.90, -87.62)),
    }
    actions.close(
        request=made["sewer_closed"], status=Status.CLOSED_FIXED, actor=Actor(label="Water")
    )
    return made


def test_each_department_is_sent_its_overdue_requests(
    mailbox: Mailbox, late: dict[str, ServiceRequest]
) -> None:
    outcomes = digest.send_digests()

    assert outcomes == {
        "cdot": DigestStatus.SENT,
        "streets": DigestStatus.NOTHING_OVERDUE,
        "water": DigestStatus.SENT,
    }
    [cdot] = mailbox.to(CDOT)
    [water] = mailbox.to(WANDA)
    assert len(mailbox.messages) == 2
    assert "Transportation: 2 overdue 311 requests" in cdot["Subject"]
    text, html = text_of(cdot), html_of(cdot)
    very_late, just_late = late["pothole_very_late"], late["pothole_late"]
    assert text.index(very_late.tracking_number) < text.index(just_late.tracking_number)
    assert late["pothole_in_time"].tracking_number not in text
    assert "13 days late" in text and "3 days late" in text
    assert f"https://311.example.org/staff/requests/{just_late.tracking_number}/" in text
    assert "https://311.example.org/staff/queue/" in text
    assert 'href="https://311.example.org/' in html and very_late.tracking_number in html
    assert "3125550100" not in text and "p@example.org" not in html  # no reporter's contact
    water_text = text_of(water)
    assert late["sewer_late"].tracking_number in water_text
    assert late["sewer_closed"].tracking_number not in water_text
    assert cdot["Message-ID"].startswith("<sla-digest.cdot.")


def test_a_day_is_never_sent_twice(mailbox: Mailbox, late: dict[str, ServiceRequest]) -> None:
    digest.send_digests()
    again = digest.send_digests()

    assert set(again.values()) == {"already"}
    assert len(mailbox.messages) == 2
    assert DigestSent.objects.filter(status=DigestStatus.SENT).count() == 2


@pytest.mark.django_db(transaction=True)  # the worker closes its connection, as in production
def test_the_scheduler_enqueues_it_for_the_worker(
    mailbox: Mailbox, late: dict[str, ServiceRequest]
) -> None:
    call_command("send_sla_digest", "--enqueue", verbosity=0)
    call_command("send_sla_digest", "--enqueue", verbosity=0)  # a second scheduler
    run_worker()

    assert len(mailbox.to(CDOT)) == 1 and len(mailbox.to(WANDA)) == 1


def test_a_refused_send_is_tried_again_on_the_next_run(
    mailbox: Mailbox, late: dict[str, ServiceRequest]
) -> None:
    mailbox.replies = ["451 4.3.0 try again later"]

    first = digest.send_digests()
    second = digest.send_digests()

    assert first["cdot"].startswith("failed")
    assert second["cdot"] == DigestStatus.SENT and second["water"] == "already"
    assert len(mailbox.to(CDOT)) == 1


def test_a_claim_left_by_a_dead_process_is_taken_over(
    mailbox: Mailbox, late: dict[str, ServiceRequest], departments: Departments
) -> None:
    now = timezone.now()
    DigestSent.objects.create(
        department=departments.transportation,
        day=digest.city_day(now),
        status=DigestStatus.SENDING,
        claimed_at=now - timedelta(minutes=10),
    )
    assert digest.send_digests()["cdot"] == "already"  # it may still be sending

    later = now + digest.STALE_CLAIM + timedelta(minutes=1)
    assert digest.send_digests(digest.city_day(now), now=later)["cdot"] == DigestStatus.SENT
    assert len(mailbox.to(CDOT)) == 1


def test_a_department_with_no_address_and_no_supervisor_is_recorded(
    mailbox: Mailbox, report: Report, staff: Staff
) -> None:
    report("graffiti", at=timezone.now() - timedelta(days=5))  # Streets: 3-day target

    assert digest.send_digests()["streets"] == DigestStatus.NO_RECIPIENTS
    assert not mailbox.messages


def test_the_command_refuses_a_bad_day(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_sla_digest", "--day", "30/11/2026")
