"""The department work queue (/staff/queue/): the core's filters as the queue offers them
(the query string, so a view is a link and a saved view is that query), and a page of open
requests read through service_requests/queue.py, each row with its SLA state.

Pages follow a cursor (`cursor=`, `cursor=last` for the last page); `page=N`, the numbered
links of before, still opens the N-th page within the counted 10,000.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_filters.fields import MultipleChoiceField

from civic311.catalog.models import Service
from civic311.choices import QueueSort, SlaState
from civic311.departments.models import Department
from civic311.lib.errors import DomainError
from civic311.service_requests import filters
from civic311.service_requests import queue as work
from civic311.service_requests.filters import AGES, ME, NOBODY
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.sla import sla_state
from civic311.staff.models import SavedView

PAGE_SIZE = 50
ALL = "all"


def set_choices(field: forms.Field, choices: list[tuple[str, Any]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class QueueForm(forms.Form):
    """The sort and the page, read with the filters."""

    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=QueueSort.choices)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)
    cursor = forms.CharField(required=False, max_length=500)


class QueueFilters(filters.RequestFilters):
    """What the queue shows. Without a department picked, the user's own (every department's
    for those without one)."""

    department = filters.DepartmentFilter(label=_("Department"), empty_label=None, choices=[])
    status = filters.StatusFilter(label=_("Status"))
    service = filters.ServiceFilter(label=_("Service"), field_class=MultipleChoiceField, choices=[])
    ward = filters.AreaFilter(label=_("Ward"))
    priority = filters.PriorityFilter(label=_("Priority"), empty_label=_("Any"))
    sla = filters.SlaFilter(label=_("SLA"), empty_label=_("Any"))
    age = filters.AgeFilter(
        label=_("Age"),
        coerce=int,
        empty_value=None,
        choices=[("", _("Any"))]
        + [(str(days), _("Older than %(days)d days") % {"days": days}) for days in AGES],
    )
    assignee = filters.AssigneeFilter(
        label=_("Assigned"),
        empty_label=_("Anyone"),
        choices=[(ME, _("To me")), (NOBODY, _("To nobody"))],
    )

    class Meta(filters.RequestFilters.Meta):
        form = QueueForm

    def __init__(
        self,
        data: Any,
        *,
        departments: Sequence[Department],
        services: Sequence[Service],
        own_department: Department | None,
        user_id: int | None = None,
        now: datetime | None = None,
    ) -> None:
        super().__init__(
            data,
            defaults={"department": own_department.code if own_department else ALL},
            departments={d.code: d.pk for d in departments},
            user_id=user_id,
            now=now,
        )
        self.department_objects = {d.code: d for d in departments}
        # On this form's fields: the filters and the form class are shared by every queue.
        fields = self.form.fields
        set_choices(
            fields["department"],
            [(ALL, _("All departments")), *((d.code, d.name) for d in departments)],
        )
        set_choices(fields["service"], [(s.service_code, s.service_name) for s in services])

    def picked_department(self) -> Department | None:
        return self.department_objects.get(self.values.get("department") or ALL)

    def sort(self) -> str:
        return str(self.values.get("sort") or QueueSort.OLDEST)

    def query(self, **changes: Any) -> str:
        """The query string of these filters and sort (without the page unless given), for
        links and saved views."""
        data = {**self.values, "page": None, "cursor": None, **changes}
        pairs: list[tuple[str, str]] = []
        for name in [*self.filters, "sort", "page", "cursor"]:
            value = data.get(name)
            if value in (None, "", [], ()) or (name == "sort" and value == QueueSort.OLDEST):
                continue
            values = value if isinstance(value, list | tuple) else [value]
            pairs += [(name, str(v)) for v in values]
        return urlencode(pairs)

    def read(self) -> QueuePage:
        """The page asked for (the first when its cursor is not one of ours)."""
        cursor = self.values.get("cursor") or ""
        try:
            return self._read(cursor)
        except DomainError:
            return self._read("")

    def _read(self, cursor: str) -> QueuePage:
        found = work.read_queue(
            self.qs,
            self.without("sla"),
            sort=self.sort(),
            priority=self.values.get("priority") or "",
            size=PAGE_SIZE,
            cursor=cursor,
            page_number=self.values.get("page") or 1,
            now=self.now,
        )
        return QueuePage.of(found, self.now)


def saved_views_for(user: Any, department_id: int | None) -> list[SavedView]:
    """The user's own saved views and those shared with their department."""
    shared = Q(department_id=department_id) if department_id else Q(pk__in=[])
    return list(SavedView.objects.filter(Q(owner=user) | shared).order_by("name", "id"))


@dataclass(frozen=True)
class Row:
    """A request as its queue line shows it (labels made here: fifty rows of template tags
    cost more than the queries)."""

    request: ServiceRequest
    sla: str
    age_days: int

    @property
    def age(self) -> str:
        return ngettext("%(days)d day", "%(days)d days", self.age_days) % {"days": self.age_days}

    @property
    def sla_label(self) -> str:
        return str(SlaState(self.sla).label)

    @property
    def who(self) -> str:
        person = self.request.assignee
        name = (person.get_full_name() or person.get_username()) if person is not None else ""
        return " · ".join(part for part in (name, self.request.crew) if part)


@dataclass(frozen=True)
class QueuePage:
    rows: list[Row]
    total: int  # at most DEPTH; `more` says there are more
    overdue: int  # at most DEPTH
    due_soon: int  # at most DEPTH
    more: bool = False
    position: int | None = None  # rows before this page, when known
    next: str = ""
    previous: str = ""

    @classmethod
    def of(cls, found: work.QueueRead, now: datetime) -> QueuePage:
        return cls(
            rows=[
                Row(request=r, sla=sla_state(r, now), age_days=(now - r.requested_at).days)
                for r in found.page.rows
            ],
            total=found.total,
            overdue=found.overdue,
            due_soon=found.due_soon,
            more=found.more,
            position=found.page.position,
            next=found.page.next,
            previous=found.page.previous,
        )

    @property
    def overdue_more(self) -> bool:
        return self.overdue >= work.DEPTH

    @property
    def page(self) -> int | None:
        return None if self.position is None else self.position // PAGE_SIZE + 1

    @property
    def pages(self) -> int:
        """How many pages the count reaches (more follow when `more`)."""
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def first(self) -> int | None:
        return None if self.position is None or not self.rows else self.position + 1

    @property
    def last(self) -> int | None:
        return None if self.first is None else self.first + len(self.rows) - 1
