from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civic311.choices import Role
from civic311.lib.paging import LAST
from civic311.service_requests import queue as work
from civic311.staff import bulk
from civic311.staff.access import colleagues, role, staff_user, staff_view
from civic311.staff.forms import BulkForm, SavedViewForm
from civic311.staff.models import SavedView
from civic311.staff.queue import QueueFilters, saved_views_for

WORKING_ROLES = (Role.DEPARTMENT_STAFF, Role.SUPERVISOR, Role.ADMINISTRATOR)


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/home.html", {"role": role(request)})


def _queue_url(query: str = "") -> str:
    url = reverse("staff:queue")
    return f"{url}?{query}" if query else url


def _queue_filters(data: Any, me: Any, user_id: int) -> QueueFilters:
    departments = work.departments_by_name()
    own = next((d for d in departments if d.pk == me.department_id), None)
    return QueueFilters(
        data,
        departments=departments,
        services=work.services_by_name(),
        own_department=own,
        user_id=user_id,
    )


@require_GET
@staff_view()
def queue(request: HttpRequest) -> HttpResponse:
    """A department's open requests: filters, sorts, SLA flags, saved views, bulk actions."""
    me = role(request)
    filters = _queue_filters(request.GET, me, int(staff_user(request).pk))
    context: dict[str, Any] = {
        "form": filters.form,
        "role": me,
        "saved_views": saved_views_for(request.user, me.department_id),
        "can_work": me.role in WORKING_ROLES,
        "city_time_zone": ZoneInfo(settings.CITY_TIME_ZONE),
    }
    if filters.problems():
        return render(request, "staff/queue.html", context, status=400)
    page = filters.read()
    query = filters.query()
    context.update(
        page=page,
        query=query,
        department=filters.picked_department(),
        first_url=_queue_url(query) if page.previous else "",
        previous_url=_queue_url(filters.query(cursor=page.previous)) if page.previous else "",
        next_url=_queue_url(filters.query(cursor=page.next)) if page.next else "",
        last_url=_queue_url(filters.query(cursor=LAST)) if page.next else "",
        here=_queue_url(filters.query(cursor=filters.values.get("cursor"))),
        save_form=SavedViewForm(initial={"query": query}),
    )
    if context["can_work"]:
        context["bulk_form"] = BulkForm(None, people=colleagues(me))
    return render(request, "staff/queue.html", context)


def _back(url: str) -> str:
    """Only back to the console's own queue."""
    if url.startswith(reverse("staff:queue")) and url_has_allowed_host_and_scheme(url, None):
        return url
    return reverse("staff:queue")


@require_POST
@staff_view(Role.DEPARTMENT_STAFF, Role.SUPERVISOR)
def queue_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST, people=colleagues(role(request)))
    if not form.is_valid():
        return render(
            request,
            "staff/bulk_result.html",
            {"form": form, "back": _back(request.POST.get("back", ""))},
            status=400,
        )
    outcomes = bulk.apply(user=request.user, data=form.cleaned_data)
    return render(
        request,
        "staff/bulk_result.html",
        {
            "form": form,
            "outcomes": outcomes,
            "done": sum(1 for o in outcomes if o.done),
            "refused": sum(1 for o in outcomes if not o.done),
            "back": _back(form.cleaned_data.get("back") or ""),
        },
    )


@require_POST
@staff_view()
def save_view(request: HttpRequest) -> HttpResponse:
    me = role(request)
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the view a name (at most 100 characters)."))
        return redirect(_queue_url(request.POST.get("query", "")[:500]))
    # Kept as the queue's own filters read it: what they do not accept is not saved.
    filters = _queue_filters(QueryDict(form.cleaned_data["query"]), me, int(staff_user(request).pk))
    if filters.problems():
        messages.error(request, _("These filters cannot be saved: fix them first."))
        return redirect(_queue_url())
    query = filters.query()
    try:
        with transaction.atomic():
            SavedView.objects.create(
                owner_id=staff_user(request).pk,
                name=form.cleaned_data["name"].strip(),
                query=query,
                department_id=me.department_id if form.cleaned_data["share"] else None,
            )
    except IntegrityError:
        messages.error(request, _("You already have a view with this name."))
    else:
        messages.success(request, _("View saved."))
    return redirect(_queue_url(query))


@require_POST
@staff_view()
def delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    view = get_object_or_404(SavedView, pk=pk, owner=request.user)
    view.delete()
    messages.success(request, _("View deleted."))
    return redirect(_queue_url())
