"""An operator takes a new request for a caller: service, a look for the same problem nearby,
the service's questions, and the tracking number to read back. Channel: phone."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.choices import Channel, Status
from civic311.service_requests.models import ReporterContact, ServiceRequest, TimelineEntry
from civic311.staff.desk import spoken
from civic311.staff.tests.reports import Report, report
from civic311.testing import Addresses, Services, Staff

pytestmark = pytest.mark.django_db
__all__ = ["report"]


@pytest.fixture
def operator(client: Client, staff: Staff, services: Services) -> Client:
    client.force_login(staff.operator)
    return client


def test_the_first_step_lists_every_service_and_keeps_the_address(
    operator: Client, addresses: Addresses
) -> None:
    response = operator.get("/staff/desk/new/", {"address": addresses.ward1, "phone": "3125550100"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="pothole"' in html and 'value="sewer_cave_in"' in html
    assert f'value="{addresses.ward1}"' in html and 'value="3125550100"' in html


def test_choosing_a_service_shows_its_questions_and_no_duplicate_nearby(
    operator: Client, addresses: Addresses
) -> None:
    response = operator.get("/staff/desk/new/", {"service": "graffiti", "address": addresses.ward1})

    html = response.content.decode()
    assert response.status_code == 200
    for question in ("surface", "offensive", "seen_at", "where_on_building", "details"):
        assert f'name="attribute[{question}]"' in html
    assert "No open Graffiti Removal request nearby" in html


def test_an_open_request_of_the_service_nearby_is_shown_before_the_questions(
    operator: Client, addresses: Addresses, report: Report
) -> None:
    earlier = report("pothole")
    other_service = report("sewer_cave_in")

    html = operator.get(
        "/staff/desk/new/", {"service": "pothole", "address": addresses.ward1_next_door}
    ).content.decode()

    assert "Already reported nearby: 1 open Pothole in Street request" in html
    assert earlier.tracking_number in html
    assert other_service.tracking_number not in html


def test_a_service_that_takes_every_report_shows_no_duplicate_check(
    operator: Client, addresses: Addresses, report: Report
) -> None:
    earlier = report("sewer_cave_in")  # its policy: every report stands on its own

    html = operator.get(
        "/staff/desk/new/", {"service": "sewer_cave_in", "address": addresses.ward1}
    ).content.decode()

    assert earlier.tracking_number not in html
    assert "reported nearby" not in html and "request nearby" not in html


def test_the_questions_are_asked_in_the_consoles_language(
    operator: Client, addresses: Addresses, services: Services
) -> None:
    from civic311.catalog.models import AttributeValue, ServiceAttribute

    ServiceAttribute.objects.filter(service=services.pothole, code="location").update(
        translations={"es": {"description": "¿Dónde está el bache?"}}
    )
    street = AttributeValue.objects.get(attribute__service=services.pothole, key="street")
    street.translations = {"es": {"name": "En la calle"}}
    street.save()

    html = operator.get(
        "/staff/desk/new/",
        {"service": "pothole", "address": addresses.ward1},
        HTTP_ACCEPT_LANGUAGE="es",
    ).content.decode()

    assert "¿Dónde está el bache?" in html
    assert '<option value="street">En la calle</option>' in html


def test_the_request_is_taken_by_phone_and_its_number_read_back(
    operator: Client, addresses: Addresses, staff: Staff
) -> None:
    response = operator.post(
        "/staff/desk/new/",
        {
            "service": "graffiti",
            "address": addresses.ward2,
            "attribute[surface]": ["brick", "glass"],
            "attribute[seen_at]": "2026-11-29T18:30",
            "description": "Tags on the side wall.",
            "first_name": "Rosa",
            "phone": "(312) 555-0100",
            "email": "rosa@example.org",
        },
    )

    assert response.status_code == 302
    sr = ServiceRequest.objects.get()
    assert response["Location"] == f"/staff/desk/taken/{sr.tracking_number}/"
    assert sr.channel == Channel.PHONE
    assert sr.ward == "2" and sr.address == addresses.ward2
    assert sr.answers["surface"] == ["brick", "glass"]
    assert sr.answers["seen_at"] == "2026-11-29T18:30:00-06:00"  # the city's zone
    contact = ReporterContact.objects.get(request=sr)
    assert (contact.first_name, contact.phone, contact.email) == (
        "Rosa",
        "3125550100",
        "rosa@example.org",
    )
    opened = TimelineEntry.objects.get(request=sr, type="request.opened")
    assert opened.actor_id == staff.operator.pk
    assert opened.actor_label == "311 call center"

    page = operator.get(response["Location"]).content.decode()
    assert sr.tracking_number in page
    assert spoken(sr.tracking_number) in page
    assert "Streets and Sanitation will look at it soon" in page


def test_bad_answers_are_shown_on_the_form_and_nothing_is_stored(
    operator: Client, addresses: Addresses
) -> None:
    response = operator.post(
        "/staff/desk/new/",
        {"service": "pothole", "address": addresses.ward1, "attribute[depth_cm]": "deep"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Please answer: Question location?" in html
    assert "“deep” is not a number." in html
    assert 'value="deep"' in html  # what was typed is kept
    assert not ServiceRequest.objects.exists()


def test_an_unknown_address_is_refused_on_the_form(operator: Client, addresses: Addresses) -> None:
    response = operator.post(
        "/staff/desk/new/",
        {"service": "sewer_cave_in", "address": "1 Nowhere Lane"},
    )

    assert response.status_code == 400
    assert "We could not find “1 Nowhere Lane”" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_a_pothole_already_open_there_is_joined_as_a_duplicate(
    operator: Client, addresses: Addresses, report: Report
) -> None:
    earlier = report("pothole")

    response = operator.post(
        "/staff/desk/new/",
        {"service": "pothole", "address": addresses.ward1, "attribute[location]": "street"},
    )

    taken = ServiceRequest.objects.exclude(pk=earlier.pk).get()
    assert taken.status == Status.CLOSED_DUPLICATE and taken.parent == earlier
    page = operator.get(response["Location"]).content.decode()
    assert f"reported before, {earlier.tracking_number}" in page


def test_an_unknown_service_sends_the_operator_back_to_the_list(
    operator: Client, services: object
) -> None:
    response = operator.get("/staff/desk/new/", {"service": "nope"})

    assert response.status_code == 400
    assert "Choose a service from the list." in response.content.decode()


def test_numbers_are_read_back_in_groups() -> None:
    assert spoken("26-00012345") == "2-6, 0-0-0-1, 2-3-4-5"
