"""The desk and the ward view cost the same few queries however many requests they show."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from civic311.staff.tests.reports import Report, report
from civic311.testing import Addresses, Places, Staff

pytestmark = pytest.mark.django_db
__all__ = ["report"]

# session, user, role; then the lookup's own reads
BY_NUMBER = 4  # + the request
BY_PHONE = 6  # + the number tried as a tracking number (2 years), contacts, their requests
BY_ADDRESS = 8  # + address point, requests at it and open ones nearby (coordinates, then rows)


@pytest.mark.parametrize("count", [1, 9])
def test_lookups(
    client: Client,
    staff: Staff,
    report: Report,
    addresses: Addresses,
    places: Places,
    django_assert_max_num_queries: Any,
    count: int,
) -> None:
    lat, long = places.ward1_near_west
    made = [
        report("sewer_cave_in", where=(lat + i * 0.0001, long), phone="312-555-0100")
        for i in range(count)
    ]
    client.force_login(staff.operator)

    with django_assert_max_num_queries(BY_NUMBER):
        assert client.get("/staff/desk/", {"q": made[0].tracking_number}).status_code == 200
    with django_assert_max_num_queries(BY_PHONE):
        assert client.get("/staff/desk/", {"q": "312-555-0100"}).status_code == 200
    with django_assert_max_num_queries(BY_ADDRESS):
        response = client.get("/staff/desk/", {"q": addresses.ward1})
    assert response.status_code == 200
    assert response.content.decode().count('class="result"') == count


WARD_PAGE = 8  # session, user, role, ward, the page of rows, open and overdue counts, services
WARD_CSV = 5  # session, user, role, ward, the rows (streamed in chunks of 2,000)


@pytest.mark.parametrize("count", [1, 12])
def test_the_ward_page_and_its_csv(
    client: Client,
    staff: Staff,
    report: Report,
    places: Places,
    django_assert_max_num_queries: Any,
    count: int,
) -> None:
    lat, long = places.ward1_near_west
    for i in range(count):
        report("sewer_cave_in", where=(lat + i * 0.001, long), phone="312-555-0100")
    client.force_login(staff.ward1_office)

    with django_assert_max_num_queries(WARD_PAGE):
        page = client.get("/staff/ward/1/", {"status": "all"})
    with django_assert_max_num_queries(WARD_CSV):
        exported = b"".join(client.get("/staff/ward/1/requests.csv").streaming_content)

    assert page.content.decode().count("<tr><td><a href=") == count
    assert exported.count(b"\n") == count + 1
