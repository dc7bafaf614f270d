"""GET requests: the spec's filters with its defaults (the last 90 days, at most 1000 a page),
and our extensions (paging by cursor or page, changes since, where, text), read by the core's
filter layer (service_requests/filters.py). Every problem is reported at once; an empty
parameter is the same as one not sent; nothing is guessed (a datetime without an offset is an
error)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from civic311.lib import paging
from civic311.service_requests import filter_fields as fields
from civic311.service_requests import filters, lists
from civic311.service_requests.models import ServiceRequest

MAX_SPAN = timedelta(days=90)
MAX_PAGE = 1_000_000


class ListForm(forms.Form):
    """Paging and format beside the filters, checked with them (so every problem is told)."""

    page = fields.WholeNumber(required=False, low=1, high=MAX_PAGE)
    page_size = fields.WholeNumber(required=False, low=1, high=settings.API_MAX_PAGE_SIZE)
    cursor = fields.Text(required=False, limit=paging.MAX_CURSOR + 1)  # longer: refused
    extensions = fields.Flag(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                fields.invalid("date_range.reversed", _("end_date is before start_date.")),
            )
        elif start and end and end - start > MAX_SPAN:
            self.add_error(
                "end_date",
                fields.invalid(
                    "date_range.too_long",
                    _("start_date and end_date may be at most 90 days apart."),
                ),
            )
        return data


class RequestsQuery(filters.RequestFilters):
    service_request_id = filters.TrackingNumberFilter()
    service_code = filters.ServiceFilter()
    status = filters.Open311StatusFilter()
    start_date = filters.MomentFilter("requested_at", "gte")
    end_date = filters.MomentFilter("requested_at", "lte")
    updated_after = filters.MomentFilter("updated_at", "gt")
    updated_before = filters.MomentFilter("updated_at", "lte")
    bbox = filters.BoxFilter()
    near = filters.NearFilter(names=("lat", "long", "radius"))
    q = filters.TextFilter()

    class Meta(filters.RequestFilters.Meta):
        form = ListForm

    def filter_queryset(self, queryset: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
        cleaned = self.form.cleaned_data
        numbers = cleaned.get("service_request_id")
        if numbers:
            # Those requests, whatever else was asked (the spec's rule).
            return queryset.filter(is_test=False, tracking_number__in=numbers)
        cleaned["start_date"], cleaned["end_date"] = self._window(cleaned)
        return super().filter_queryset(queryset)

    def _window(self, cleaned: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
        """The spec's default window: 90 days from or to the date sent, or the last 90 days;
        a client asking for changes since a time gets every change."""
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and not end:
            return start, start + MAX_SPAN
        if end and not start:
            return end - MAX_SPAN, end
        if not (start or end or cleaned.get("updated_after") or cleaned.get("updated_before")):
            return self.now - MAX_SPAN, None
        return start, end

    @property
    def by_change(self) -> bool:
        """Listed in order of change when filtered on it, so a client syncing "changes since"
        can page through them."""
        cleaned = self.form.cleaned_data
        return bool(cleaned.get("updated_after") or cleaned.get("updated_before"))


@dataclass(frozen=True)
class ListQuery:
    requests: QuerySet[ServiceRequest]
    order: tuple[str, ...]
    page: int
    page_size: int
    cursor: str
    extensions: bool


def list_query(params: dict[str, str], *, now: datetime | None = None) -> ListQuery:
    """The parameters of GET requests read; InvalidInput naming every problem."""
    query = RequestsQuery(params, now=now)
    requests = query.requests()
    cleaned = query.form.cleaned_data
    return ListQuery(
        requests=requests,
        order=lists.BY_CHANGE if query.by_change else lists.NEWEST,
        page=cleaned.get("page") or 1,
        page_size=cleaned.get("page_size") or settings.API_MAX_PAGE_SIZE,
        cursor=cleaned.get("cursor") or "",
        extensions=bool(cleaned.get("extensions")),
    )
