"""The queue and the request page cost the same few queries however many requests, timeline
entries, duplicates and neighbours there are (DESIGN.md, convention 11)."""

from __future__ import annotations

from typing import Any

import pytest

from civic311.choices import QueueSort, Status
from civic311.service_requests import actions
from civic311.service_requests.actions import Actor
from civic311.staff.tests.conftest import LogIn, Report
from civic311.testing import Places, Staff

pytestmark = pytest.mark.django_db

# session, user, role; departments, services, saved views, colleagues; the selection's count;
# the rows of each sort segment the page reads (priority has eight, most of them empty in a
# small queue); overdue and due-soon counts.
QUEUE_QUERIES = 18
# session, user, role; the request; photos; duplicates; nearby (2); contact; timeline;
# department names; templates, services, departments and colleagues for the forms.
REQUEST_QUERIES = 15


@pytest.mark.parametrize("count", [2, 30])
@pytest.mark.parametrize("sort", list(QueueSort))
def test_the_queue(
    staff: Staff,
    report: Report,
    log_in: LogIn,
    django_assert_max_num_queries: Any,
    count: int,
    sort: str,
) -> None:
    made = [report("pothole") for _ in range(count)]
    for sr in made[::3]:
        actions.assign(request=sr, actor=Actor.staff(staff.cdot), assignee=staff.cdot, crew="A")
    client = log_in(staff.cdot)
    client.get("/staff/queue/")  # the catalogue and the role are loaded once per process

    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = client.get(f"/staff/queue/?sort={sort}")
    assert response.status_code == 200
    assert response.content.decode().count('name="number"') == count


@pytest.mark.parametrize("size", [0, 12])
def test_the_request_page(
    staff: Staff,
    report: Report,
    log_in: LogIn,
    places: Places,
    django_assert_max_num_queries: Any,
    size: int,
) -> None:
    lat, long = places.ward2_near_north
    sr = report("pothole", where=(lat, long))
    admin = Actor.staff(staff.admin)
    for n in range(size):
        report("pothole", where=(lat + 0.00005 * (n % 3), long))  # joins as a duplicate
        report("pothole", where=(lat + 0.001 + 0.0006 * n, long))  # a neighbour
        actions.add_note(request=sr, note=f"Note {n}", actor=admin, public=n % 2 == 0)
        actions.reroute(
            request=sr,
            actor=admin,
            department_code="water" if n % 2 == 0 else "cdot",
            reason="Back and forth.",
        )
    actions.change_status(request=sr, status=Status.IN_PROGRESS, actor=admin)
    client = log_in(staff.admin)
    url = f"/staff/requests/{sr.tracking_number}/"
    client.get(url)

    with django_assert_max_num_queries(REQUEST_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
