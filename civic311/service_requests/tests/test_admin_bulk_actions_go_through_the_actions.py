"""The admin's bulk actions on requests call the same actions as every channel: each change is
on the timeline, and one that is refused is reported without stopping the others."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.choices import Channel, Status, TimelineType
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Places, Services, Staff

pytestmark = pytest.mark.django_db


def _report(services: Services, places: Places) -> ServiceRequest:
    lat, long = places.ward1_near_west
    return actions.submit_request(
        service_code=services.street_light.service_code,
        channel=Channel.WEB,
        actor=actions.Actor.resident(),
        lat=lat,
        long=long,
    ).request


@pytest.mark.parametrize(
    ("action", "status", "entry"),
    [
        ("acknowledge", Status.ACKNOWLEDGED, TimelineType.STATUS_CHANGED),
        ("close_fixed", Status.CLOSED_FIXED, TimelineType.CLOSED),
    ],
)
def test_a_bulk_action_changes_each_request_through_its_action(
    client: Client,
    services: Services,
    places: Places,
    staff: Staff,
    action: str,
    status: str,
    entry: str,
) -> None:
    open_one, closed_one = _report(services, places), _report(services, places)
    actions.close(
        request=closed_one,
        status=Status.CLOSED_FIXED,
        actor=actions.Actor.staff(staff.admin),
    )
    staff.admin.is_staff = staff.admin.is_superuser = True
    staff.admin.save()
    client.force_login(staff.admin)

    page = client.post(
        "/admin/service_requests/servicerequest/",
        {"action": action, "_selected_action": [open_one.pk, closed_one.pk]},
        follow=True,
    )

    assert page.status_code == 200
    open_one.refresh_from_db()
    assert open_one.status == status
    assert open_one.timeline.filter(type=entry).count() == 1
    text = page.content.decode()
    assert "1 changed, 1 refused." in text
    assert closed_one.tracking_number in text  # the refusal says which request
