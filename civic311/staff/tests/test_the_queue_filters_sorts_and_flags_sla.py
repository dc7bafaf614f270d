"""The work queue shows a department's open requests, filtered and sorted the ways staff need,
with overdue ones flagged, saved views, and pages of fifty."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from civic311.choices import Priority, QueueSort, SlaState, Status
from civic311.service_requests import actions
from civic311.service_requests import queue as work
from civic311.service_requests.actions import Actor
from civic311.service_requests.models import ServiceRequest
from civic311.staff.models import SavedView
from civic311.staff.queue import PAGE_SIZE, QueueFilters, QueuePage
from civic311.staff.tests.conftest import LogIn, Report
from civic311.testing import Places, Services, Staff

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r'name="number" value="([0-9-]+)"')


def read_page(
    department_id: int, *, sort: str = "", page: int = 1, cursor: str = "", now: Any
) -> QueuePage:
    """A page of the queue as the console reads it, for one department."""
    departments = work.departments_by_name()
    code = next(d.code for d in departments if d.pk == department_id)
    data = {"department": code, "sort": sort, "page": str(page), "cursor": cursor}
    return QueueFilters(
        data, departments=departments, services=[], own_department=None, now=now
    ).read()


def numbers(client: Client, query: str = "") -> list[str]:
    response = client.get(f"/staff/queue/?{query}")
    assert response.status_code == 200, response.content.decode()[:2000]
    return NUMBER.findall(response.content.decode())


def test_staff_see_their_own_department_s_open_requests_oldest_first(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    now = timezone.now()
    old = report("sewer_cave_in", at=now - timedelta(days=5))
    new = report("sewer_cave_in", at=now - timedelta(hours=1))
    report("pothole")  # Transportation's
    closed = report("sewer_cave_in")
    actions.close(request=closed, status=Status.CLOSED_FIXED, actor=Actor.staff(staff.water))
    report("sewer_cave_in", is_test=True)  # a developer's test request

    client = log_in(staff.water)
    assert numbers(client) == [old.tracking_number, new.tracking_number]
    assert numbers(client, f"sort={QueueSort.NEWEST}") == [new.tracking_number, old.tracking_number]
    page = client.get("/staff/queue/").content.decode()
    assert "Work queue: Water Management" in page
    assert "2 open requests" in page


def test_overdue_requests_are_flagged_counted_and_filtered(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    now = timezone.now()
    overdue = report("sewer_cave_in", at=now - timedelta(days=3))  # target: 2 days
    soon = report("sewer_cave_in", at=now - timedelta(days=1, hours=12))
    fine = report("sewer_cave_in", at=now)

    client = log_in(staff.water)
    page = client.get("/staff/queue/").content.decode()
    assert "1 overdue" in page and "1 due within a day" in page
    assert page.count('class="flag overdue"') == 1
    assert numbers(client, f"sla={SlaState.OVERDUE}") == [overdue.tracking_number]
    assert numbers(client, f"sla={SlaState.DUE_SOON}") == [soon.tracking_number]
    assert numbers(client, f"sla={SlaState.ON_TIME}") == [fine.tracking_number]
    assert numbers(client, f"sort={QueueSort.DUE}") == [
        overdue.tracking_number,
        soon.tracking_number,
        fine.tracking_number,
    ]


def test_filters_by_status_service_ward_priority_age_and_assignee(
    staff: Staff, report: Report, log_in: LogIn, places: Places
) -> None:
    now = timezone.now()
    west = report("pothole", where=places.ward1_near_west, at=now - timedelta(days=10))
    east = report("street_light", where=places.ward2_near_north)
    cdot = Actor.staff(staff.cdot)
    actions.change_status(request=east, status=Status.IN_PROGRESS, actor=cdot)
    actions.assign(request=west, actor=cdot, assignee=staff.cdot)

    client = log_in(staff.cdot)
    assert numbers(client, "status=in_progress") == [east.tracking_number]
    assert numbers(client, "service=pothole") == [west.tracking_number]
    assert numbers(client, "ward=2") == [east.tracking_number]
    assert numbers(client, "age=7") == [west.tracking_number]
    assert numbers(client, "assignee=me") == [west.tracking_number]
    assert numbers(client, "assignee=none") == [east.tracking_number]
    assert numbers(client, f"priority={Priority.HIGH}") == []
    assert numbers(client, "service=pothole&service=street_light&ward=1") == [west.tracking_number]


def test_most_urgent_first_reads_urgency_then_age(
    staff: Staff, report: Report, services: Services
) -> None:
    now = timezone.now()
    normal = report("sewer_cave_in", at=now - timedelta(days=3))
    services.sewer.default_priority = Priority.URGENT
    services.sewer.save()
    from civic311.catalog.cache import catalog

    catalog.reset()
    urgent = report("sewer_cave_in", at=now - timedelta(days=1))
    rows = read_page(services.sewer.department_id, sort=QueueSort.PRIORITY, now=now).rows
    assert [r.request.tracking_number for r in rows] == [
        urgent.tracking_number,
        normal.tracking_number,
    ]


def test_pages_walk_across_the_segments_of_a_sort(staff: Staff, report: Report) -> None:
    """Page 2 of "SLA due soonest" starts in the requests with a target and ends in those
    without one."""
    now = timezone.now()
    with_target = [report("pothole", at=now - timedelta(minutes=60 - n)) for n in range(40)]
    without = [report("street_light", at=now - timedelta(minutes=30 - n)) for n in range(20)]
    department_id = with_target[0].department_id

    first = read_page(department_id, sort=QueueSort.DUE, now=now)
    second = read_page(department_id, sort=QueueSort.DUE, cursor=first.next, now=now)
    shown = [r.request for r in first.rows + second.rows]
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (60, 2, PAGE_SIZE, 10)
    assert shown == with_target + without
    assert (second.page, second.next) == (2, "")
    # The numbered link of before cursors: past the end is the last page.
    assert read_page(department_id, sort=QueueSort.DUE, page=99, now=now).page == 2
    back = read_page(department_id, sort=QueueSort.DUE, cursor=second.previous, now=now)
    assert [r.request for r in back.rows] == with_target + without[:10]


def test_a_bad_filter_is_a_clear_error(staff: Staff, log_in: LogIn) -> None:
    response = log_in(staff.water).get("/staff/queue/?sort=sideways&status=closed_fixed")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Sort: Select a valid choice. sideways is not one of the available choices." in text
    assert (
        "Status: Select a valid choice. closed_fixed is not one of the available choices." in text
    )


def test_saved_views_keep_filters_for_their_owner_or_the_department(
    staff: Staff, log_in: LogIn
) -> None:
    client = log_in(staff.water)
    response = client.post(
        "/staff/queue/views/",
        {"name": "Overdue in ward 1", "query": "sla=overdue&ward=1&bogus=1", "share": "on"},
    )
    assert response.status_code == 302
    view = SavedView.objects.get()
    assert (view.owner, view.department_id) == (staff.water, staff.water.membership.department_id)
    assert view.query == "department=water&ward=1&sla=overdue"  # as the queue reads it
    assert response["Location"] == f"/staff/queue/?{view.query}"

    shared_with = log_in(staff.water_supervisor).get("/staff/queue/").content.decode()
    assert "Overdue in ward 1" in shared_with
    assert "Overdue in ward 1" not in log_in(staff.streets).get("/staff/queue/").content.decode()

    again = client.post("/staff/queue/views/", {"name": "Overdue in ward 1", "query": ""})
    assert again.status_code == 302
    assert SavedView.objects.count() == 1
    # Only its owner deletes it.
    other = log_in(staff.water_supervisor).post(f"/staff/queue/views/{view.pk}/delete/")
    assert other.status_code == 404
    assert client.post(f"/staff/queue/views/{view.pk}/delete/").status_code == 302
    assert not SavedView.objects.exists()


def test_a_user_without_a_staff_role_gets_no_queue(client: Client, django_user_model: Any) -> None:
    assert "/staff/login/" in client.get("/staff/queue/")["Location"]
    client.force_login(django_user_model.objects.create(username="resident_with_account"))
    assert client.get("/staff/queue/").status_code == 403


def test_requests_shown_are_never_test_requests(staff: Staff, report: Report) -> None:
    report("sewer_cave_in", is_test=True)
    department_id = staff.water.membership.department_id
    assert read_page(department_id, now=timezone.now()).total == 0
    assert ServiceRequest.objects.count() == 1


def test_counting_stops_at_the_queue_s_depth(
    staff: Staff, report: Report, log_in: LogIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A huge backlog is counted only so far ("10,000+"); its pages go on past the count."""
    monkeypatch.setattr("civic311.service_requests.queue.DEPTH", 60)
    monkeypatch.setattr("civic311.staff.queue.PAGE_SIZE", 20)
    now = timezone.now()
    made = [report("pothole", at=now - timedelta(days=30, minutes=n)) for n in range(70)]
    page = read_page(made[0].department_id, page=5, now=now)
    assert (page.total, page.more, page.pages, page.page) == (60, True, 3, 3)
    assert (page.overdue, page.overdue_more) == (60, True)
    oldest_first = sorted(made, key=lambda r: r.requested_at)
    assert [r.request for r in page.rows] == oldest_first[40:60]
    beyond = read_page(made[0].department_id, cursor=page.next, now=now)
    assert [r.request for r in beyond.rows] == oldest_first[60:70] and beyond.next == ""

    text = log_in(staff.cdot).get("/staff/queue/?page=3").content.decode()
    assert "60+ open requests" in text and "60+ overdue" in text
    assert 'rel="next"' in text and "Page 3" in text
