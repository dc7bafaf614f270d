"""One filter layer for every list of requests: the API's GET requests, the public lists and
map, the work queue, the ward view, and the exports to come.

Built on django-filter. Each filter below says how one value narrows the requests (service,
Open311 open|closed or the city's finer status, times requested and changed, box, circle,
ward, community area, ZIP, department, priority, SLA state, age, assignee, text, test
requests), and its form field (filter_fields.py) how the value is read and checked. An
interface declares a `RequestFilters` subclass naming the filters it offers under its own
parameter names, and reads `problems()` (every one, with a stable code and the parameter's
name: the API answers them in Open311's error format) or `qs`.

The SQL each filter writes is the one the indexes were tuned for (docs/query-plans.md):
services by id from the catalogue held in the process (no join), open or closed requests
through `status__open311` (lookups.py: the partial indexes), places through H3 cells first.
Test requests are left out of every list unless a filterset offers the `test` filter.
"""

from __future__ import annotations

import copy
import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import django_filters
import h3
from django import forms
from django.conf import settings
from django.db.models import ExpressionWrapper, F, FloatField, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from civic311.catalog.cache import catalog
from civic311.choices import Priority, SlaState, Status
from civic311.geo import cells
from civic311.lib.errors import InvalidInput, Problem
from civic311.service_requests import filter_fields as fields
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.sla import sla_q

MAX_BBOX_CELLS = 400
AGES = (1, 3, 7, 30)  # "older than N days"
ME, NOBODY = "me", "none"


class RequestFilter(django_filters.Filter):
    """A filter that skips empty values and may take its form field's class as an argument."""

    def __init__(self, *args: Any, field_class: type | None = None, **kwargs: Any) -> None:
        if field_class is not None:
            self.field_class = field_class
        super().__init__(*args, **kwargs)

    @property
    def filterset(self) -> RequestFilters:
        return self.parent

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in (None, "", (), []):
            return qs
        return self.narrow(qs, value)

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return super().filter(qs, value)


# --- What was asked for ------------------------------------------------------------------------


def is_service(code: str) -> bool:
    """Whether the catalogue has this service (for `ServiceFilter(known=is_service)`)."""
    return catalog.service(code) is not None


class ServiceFilter(RequestFilter):
    """Service codes, read as ids from the catalogue: `service_id IN (...)`, no join."""

    field_class = fields.Codes

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        codes = [value] if isinstance(value, str) else value
        found = (catalog.service(code) for code in codes)
        return qs.filter(service_id__in=[service.pk for service in found if service])


class TrackingNumberFilter(RequestFilter):
    field_class = fields.Codes

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return qs.filter(tracking_number__in=value)


class Open311StatusFilter(RequestFilter):
    """`open` or `closed` (the Open311 side), written for the partial indexes."""

    field_class = fields.Open311Statuses

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return qs.filter(status__open311=value)


class StatusFilter(RequestFilter, django_filters.MultipleChoiceFilter):
    """The city's finer statuses (the queue: open ones only)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [(s, Status(s).label) for s in Status.open_values()])
        super().__init__(*args, **kwargs)

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return qs.filter(status__in=value)


# --- When --------------------------------------------------------------------------------------


class MomentFilter(RequestFilter):
    """A W3C datetime compared with `field_name` by `lookup_expr` (requested_at__gte, ...)."""

    field_class = fields.Moment


class DayFilter(RequestFilter):
    """A day of the city's calendar: from its start (`edge="from"`) or to its end ("until")."""

    field_class = fields.Day

    def __init__(self, *args: Any, edge: str, **kwargs: Any) -> None:
        self.edge = edge
        super().__init__(*args, **kwargs)

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        zone = ZoneInfo(settings.CITY_TIME_ZONE)
        if self.edge == "from":
            return qs.filter(**{f"{self.field_name}__gte": datetime.combine(value, time.min, zone)})
        end = datetime.combine(value + timedelta(days=1), time.min, zone)
        return qs.filter(**{f"{self.field_name}__lt": end})


class RecentFilter(RequestFilter):
    """Requested in the last N days: `periods` maps each choice to its days (None: any time)."""

    field_class = fields.Choice

    def __init__(self, *args: Any, periods: Mapping[str, int | None], **kwargs: Any) -> None:
        self.periods = periods
        kwargs.setdefault("choices", [(key, key) for key in periods])
        super().__init__(*args, **kwargs)

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        days = self.periods.get(value)
        if days is None:
            return qs
        return qs.filter(requested_at__gte=self.filterset.now - timedelta(days=days))


class AgeFilter(RequestFilter, django_filters.TypedChoiceFilter):
    """Requested more than N days ago."""

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return qs.filter(requested_at__lt=self.filterset.now - timedelta(days=value))


# --- Where -------------------------------------------------------------------------------------


def bbox_cells(bbox: tuple[float, float, float, float]) -> tuple[str, ...] | None:
    """The resolution-7 cells over a box, when few enough to be worth an index lookup."""
    min_long, min_lat, max_long, max_lat = bbox
    shape = h3.LatLngPoly(
        [(min_lat, min_long), (min_lat, max_long), (max_lat, max_long), (max_lat, min_long)]
    )
    found = h3.h3shape_to_cells_experimental(shape, 7, contain="overlap")
    return tuple(found) if 0 < len(found) <= MAX_BBOX_CELLS else None


class BoxFilter(RequestFilter):
    field_class = fields.Box

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        min_long, min_lat, max_long, max_lat = value
        qs = qs.filter(lat__gte=min_lat, lat__lte=max_lat, long__gte=min_long, long__lte=max_long)
        covering = bbox_cells(value)
        return qs if covering is None else qs.filter(h3_r7__in=covering)


class NearFilter(RequestFilter):
    """Within a radius of a point: the H3 cells that cover the circle (an index lookup), then
    the distance, as plain arithmetic SQLite and PostgreSQL both evaluate in the query (an
    equirectangular distance: exact enough within 10 km)."""

    field_class = fields.Place

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        lat, long, radius = value
        ring = cells.disk(lat, long, radius)
        metres_per_degree = 111_320.0
        dy = (F("lat") - lat) * metres_per_degree
        dx = (F("long") - long) * (metres_per_degree * math.cos(math.radians(lat)))
        return (
            qs.filter(**{f"{ring.field}__in": ring.cells})
            .alias(d2=ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField()))
            .filter(d2__lte=radius * radius)
        )


class AreaFilter(RequestFilter):
    """A ward, community area or ZIP code (`field_name`), by its code."""

    field_class = fields.Text

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return qs.filter(**{self.field_name: value[:32]})


# --- Who works it ------------------------------------------------------------------------------


class DepartmentFilter(RequestFilter, django_filters.ChoiceFilter):
    """By department code; the filterset gives the choices (`departments`: code -> id), and
    `all` means every department."""

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        department_id = self.filterset.departments.get(value)
        return qs if department_id is None else qs.filter(department_id=department_id)


class PriorityFilter(RequestFilter, django_filters.ChoiceFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", Priority.choices)
        super().__init__(*args, **kwargs)


class SlaFilter(RequestFilter, django_filters.ChoiceFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", SlaState.choices)
        super().__init__(*args, **kwargs)

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return qs.filter(sla_q(value, self.filterset.now))


class AssigneeFilter(RequestFilter, django_filters.ChoiceFilter):
    """`me` (the filterset's user) or `none` (neither a person nor a crew)."""

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value == ME:
            user_id = self.filterset.user_id
            return qs.none() if user_id is None else qs.filter(assignee_id=user_id)
        return qs.filter(assignee__isnull=True, crew="")


# --- What it says, and whose test it is ----------------------------------------------------------


class TextFilter(RequestFilter):
    field_class = fields.Text

    def narrow(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return qs.filter(Q(description__icontains=value) | Q(address__icontains=value))


class TestRequestsFilter(RequestFilter, django_filters.ChoiceFilter):
    """Developers' test requests: left out (the default), `include`d, or `only` them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [("include", "include"), ("only", "only")])
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value == "include":
            return qs
        return qs.filter(is_test=value == "only")


# --- The set -----------------------------------------------------------------------------------


class _Filters(OrderedDict[str, django_filters.Filter]):
    """A filterset's filters, copied per instance one level deep. django-filter as it ships
    deep-copies them (choices and lazy labels included) and builds a new form class on every
    call: measured, about three quarters of the time of reading the API's parameters and
    building its query. With this and one form class per filterset (get_form_class below),
    that takes ~0.5 ms a call against ~0.2 ms for the hand-written reading it replaced
    (best of 5 x 1000 on a quiet machine). Filters are never changed per
    instance: what varies (the queue's choices) is set on the form's fields."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _Filters:
        return _Filters((name, copy.copy(one)) for name, one in self.items())


class RequestFilters(django_filters.FilterSet):
    """The base of every interface's filters. `defaults` fill parameters not sent; `fixed`
    (given per call: the ward of a ward's page) override what was sent. `now` and `user_id`
    are what relative filters (SLA, age, "assigned to me") are relative to."""

    defaults: ClassVar[Mapping[str, str]] = {}

    class Meta:
        model = ServiceRequest
        fields: ClassVar[list[str]] = []

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        defaults: Mapping[str, str] | None = None,
        fixed: Mapping[str, str] | None = None,
        now: datetime | None = None,
        user_id: int | None = None,
        departments: Mapping[str, int] | None = None,
        queryset: QuerySet[ServiceRequest] | None = None,
    ) -> None:
        # A QueryDict always: multiple-choice fields read lists from it, whoever calls.
        merged = data.copy() if isinstance(data, QueryDict) else QueryDict(mutable=True)
        if not isinstance(data, QueryDict):
            for name, value in (data or {}).items():
                merged[name] = value
        for name, value in {**self.defaults, **(defaults or {})}.items():
            if not merged.get(name):
                merged[name] = value
        for name, value in (fixed or {}).items():
            merged[name] = value
        super().__init__(merged, queryset=queryset)
        self.now = now or timezone.now()
        self.user_id = user_id
        self.departments = dict(departments or {})

    @classmethod
    def get_filters(cls) -> _Filters:
        return _Filters(super().get_filters())

    def get_form_class(self) -> type[forms.Form]:
        """One form class per filterset class, made once (django-filter makes one per call)."""
        made = type(self).__dict__.get("_form_class")
        if made is None:
            made = super().get_form_class()
            type(self)._form_class = made
        return made

    def filter_queryset(self, queryset: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
        return self._narrow(queryset, skip=())

    def without(self, *names: str) -> QuerySet[ServiceRequest]:
        """The requests these filters select, except those `names` (the queue counts its
        department's overdue requests whatever SLA state is picked)."""
        self.form.is_valid()
        return self._narrow(self.queryset.all(), skip=names)

    def _narrow(self, queryset: QuerySet[ServiceRequest], *, skip: Sequence[str]) -> QuerySet[Any]:
        if "test" not in self.filters:
            queryset = queryset.filter(is_test=False)
        cleaned = self.form.cleaned_data
        for name, one in self.filters.items():
            if name in cleaned and name not in skip:
                queryset = one.filter(queryset, cleaned[name])
        return queryset

    @property
    def values(self) -> dict[str, Any]:
        """What was read, by parameter (what a page shows back in its form)."""
        self.form.is_valid()
        return dict(self.form.cleaned_data)

    def problems(self) -> list[Problem]:
        """Every problem with what was sent, each naming its parameter."""
        found = []
        for name, errors in self.form.errors.as_data().items():
            for error in errors:
                found += fields.problems(name, error)
        return found

    def requests(self) -> QuerySet[ServiceRequest]:
        """The matching requests (unordered); InvalidInput naming every problem."""
        problems = self.problems()
        if problems:
            raise InvalidInput(problems)
        return self.qs
