"""Notifications are written with the change: a change that rolls back leaves nothing to send."""

from __future__ import annotations

import pytest
from django.db import transaction

from civic311.choices import Status
from civic311.notifications.models import Delivery
from civic311.service_requests.actions import Actor, close
from civic311.testing import Places, Services
from civic311.testing.mail import Mailbox, run_worker, submit_with_email

pytestmark = pytest.mark.django_db(transaction=True)


class Abandon(Exception):
    pass


def test_a_close_that_rolls_back_sends_nothing(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    request = submit_with_email(places, "rosa@example.org")
    run_worker()

    def close_then_fail() -> None:
        with transaction.atomic():
            close(request=request, status=Status.CLOSED_FIXED, actor=Actor(label="Staff"))
            raise Abandon

    with pytest.raises(Abandon):
        close_then_fail()

    run_worker()

    assert [m["Subject"].split()[-1] for m in mailbox.messages] == ["received"]
    assert Delivery.objects.count() == 1


def test_a_submission_that_rolls_back_sends_nothing(
    services: Services, places: Places, mailbox: Mailbox
) -> None:
    def submit_then_fail() -> None:
        with transaction.atomic():
            submit_with_email(places, "rosa@example.org")
            raise Abandon

    with pytest.raises(Abandon):
        submit_then_fail()

    run_worker()

    assert mailbox.messages == []
