from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civic311.catalog.models import Service
from civic311.choices import Role
from civic311.departments.models import Department
from civic311.staff import bulk
from civic311.staff.access import colleagues, role, staff_user, staff_view
from civic311.staff.forms import BulkForm, QueueForm, SavedViewForm
from civic311.staff.models import SavedView
from civic311.staff.queue import read_page

WORKING_ROLES = (Role.DEPARTMENT_STAFF, Role.SUPERVISOR, Role.ADMINISTRATOR)


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/home.html", {"role": role(request)})


def _queue_url(query: str = "") -> str:
    url = reverse("staff:queue")
    return f"{url}?{query}" if query else url


def _saved_views(user: Any, department_id: int | None) -> list[SavedView]:
    shared = Q(department_id=department_id) if department_id else Q(pk__in=[])
    return list(SavedView.objects.filter(Q(owner=user) | shared).order_by("name", "id"))


def _queue_form(data: Any, me: Any) -> QueueForm:
    departments = list(Department.objects.order_by("name"))
    services = list(
        Service.objects.order_by("service_name").only("id", "service_code", "service_name")
    )
    own = next((d for d in departments if d.pk == me.department_id), None)
    return QueueForm(data, departments=departments, services=services, own_department=own)


@require_GET
@staff_view()
def queue(request: HttpRequest) -> HttpResponse:
    """A department's open requests: filters, sorts, SLA flags, saved views, bulk actions."""
    me = role(request)
    form = _queue_form(request.GET, me)
    context: dict[str, Any] = {
        "form": form,
        "role": me,
        "saved_views": _saved_views(request.user, me.department_id),
        "can_work": me.role in WORKING_ROLES,
        "city_time_zone": ZoneInfo(settings.CITY_TIME_ZONE),
    }
    if not form.is_valid():
        return render(request, "staff/queue.html", context, status=400)
    page = read_page(
        form.filters(int(staff_user(request).pk)),
        page=form.cleaned_data.get("page") or 1,
        now=timezone.now(),
    )
    query = form.query()
    context.update(
        page=page,
        query=query,
        department=form.departments.get(form.department_code()),
        previous_url=_queue_url(form.query(page=page.page - 1)) if page.page > 1 else "",
        next_url=_queue_url(form.query(page=page.page + 1)) if page.page < page.pages else "",
        here=_queue_url(form.query(page=page.page) if page.page > 1 else query),
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
    # Kept as the queue's own form reads it: what it does not accept is not saved.
    filters = _queue_form(QueryDict(form.cleaned_data["query"]), me)
    if not filters.is_valid():
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
