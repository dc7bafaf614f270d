"""Before a new request is made, an open one of the same service nearby is offered: FOLLOW gets
its updates instead (no new request), NEW reports anyway."""

from __future__ import annotations

from typing import Any

import pytest

from civic311.choices import Channel, SubscriptionChannel
from civic311.notifications.models import Subscription
from civic311.service_requests.actions import Actor, submit_request
from civic311.service_requests.models import ServiceRequest
from civic311.sms.tests.texting import Phone

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(streets: Any) -> ServiceRequest:
    return submit_request(
        service_code="pothole",
        channel=Channel.WEB,
        actor=Actor.resident(),
        address="1210 W Madison St",
        answers={"location": "street"},
    ).request


def test_a_duplicate_offered_and_followed(rosa: Phone, reported: ServiceRequest) -> None:
    rosa.says("pothole at 1200 W Madison")
    offer = rosa.says("YES")
    number = reported.tracking_number
    assert offer == (
        f"Already reported nearby as {number}. Reply FOLLOW to get its updates, or NEW to report "
        "it anyway."
    )

    followed = rosa.says("follow")

    assert followed == (
        f"You will get a text when {number} is closed or reopened. Reply STOP to end."
    )
    assert ServiceRequest.objects.count() == 1
    subscription = Subscription.objects.get()
    assert (subscription.request, subscription.channel, subscription.address) == (
        reported,
        SubscriptionChannel.SMS,
        "+13125550100",
    )
    assert subscription.is_active
    # The dialog is over: a number now is a status query again.
    assert rosa.says(number).startswith(f"311 request {number}")


def test_new_reports_it_anyway(rosa: Phone, reported: ServiceRequest) -> None:
    rosa.says("pothole at 1200 W Madison")
    rosa.says("YES")
    assert rosa.says("NEW").startswith("(1/2)")
    rosa.says("1")
    rosa.says("SKIP")
    done = rosa.says("SKIP")
    # Potholes link duplicates: the new report joins the one already there.
    mine = ServiceRequest.objects.exclude(pk=reported.pk).get()
    assert mine.parent == reported
    assert f"your report {mine.tracking_number} was added to {reported.tracking_number}" in done
    # The reporter follows the request that will be worked.
    assert Subscription.objects.get(channel=SubscriptionChannel.SMS).request == reported


def test_something_else_asks_again(rosa: Phone, reported: ServiceRequest) -> None:
    rosa.says("pothole at 1200 W Madison")
    rosa.says("YES")
    assert rosa.says("what?").startswith(
        f"Reply FOLLOW to get updates on {reported.tracking_number}"
    )


def test_follow_with_a_number_at_any_time(rosa: Phone, reported: ServiceRequest) -> None:
    reply = rosa.says(f"FOLLOW {reported.tracking_number}")
    assert reply.startswith(f"You will get a text when {reported.tracking_number} is closed")
    assert Subscription.objects.get().address == "+13125550100"
