"""Followers hear about closing (with the reason and the final note), reopening, and the status
changes the city chose (NOTIFY_STATUS_CHANGES); not about the others or internal notes."""

from __future__ import annotations

from typing import Any

import pytest

from civic311.choices import Status
from civic311.service_requests.actions import Actor, add_note, change_status, close, reopen
from civic311.testing import Places, Services
from civic311.testing.mail import Mailbox, run_worker, submit_with_email, text_of

pytestmark = pytest.mark.django_db(transaction=True)

STREETS = Actor(label="Transportation")


def test_closing_emails_the_reason_and_the_final_note(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    request = submit_with_email(places, "rosa@example.org")
    run_worker()

    close(
        request=request,
        status=Status.CLOSED_NOT_FIXED,
        actor=STREETS,
        note="The light belongs to ComEd; we reported it to them.",
    )
    run_worker()

    _received, closed = mailbox.messages
    assert closed["Subject"] == f"311 request {request.tracking_number} closed"
    text = text_of(closed)
    assert f"311 request {request.tracking_number} is closed: Closed, not fixed." in text
    assert "The city's final note:\nThe light belongs to ComEd; we reported it to them." in text


def test_a_status_change_that_matters_is_emailed_and_one_that_does_not_is_not(
    services: Services, places: Places, mailbox: Mailbox, settings: Any
) -> None:
    settings.NOTIFY_STATUS_CHANGES = ["in_progress"]
    request = submit_with_email(places, "rosa@example.org")
    change_status(request=request, status=Status.ACKNOWLEDGED, actor=STREETS)
    change_status(request=request, status=Status.IN_PROGRESS, actor=STREETS, note="Crew on site.")
    add_note(request=request, note="Internal: check the wiring", actor=STREETS, public=False)

    run_worker()

    subjects = [m["Subject"] for m in mailbox.messages]
    number = request.tracking_number
    assert subjects == [f"311 request {number} received", f"311 request {number}: new status"]
    text = text_of(mailbox.messages[1])
    assert "it is now “In progress”" in text
    assert "Crew on site." in text
    assert "Internal" not in text


def test_reopening_is_emailed(services: Services, places: Places, mailbox: Mailbox) -> None:
    request = submit_with_email(places, "rosa@example.org")
    close(request=request, status=Status.CLOSED_FIXED, actor=STREETS)
    reopen(request=request, actor=STREETS, note="The light is out again.")

    run_worker()

    number = request.tracking_number
    assert [m["Subject"] for m in mailbox.messages] == [
        f"311 request {number} received",
        f"311 request {number} closed",
        f"311 request {number} reopened",
    ]
    assert "The light is out again." in text_of(mailbox.messages[2])
