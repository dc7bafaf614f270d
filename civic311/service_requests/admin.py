"""Requests in the admin are read-only: every change goes through the actions, so it is recorded
on the timeline and notified. The bulk actions here call those same functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civic311.choices import Status
from civic311.lib.errors import DomainError
from civic311.media.admin import PhotoInline
from civic311.service_requests import actions
from civic311.service_requests.models import ReporterContact, ServiceRequest, TimelineEntry


class ReadOnlyInline(admin.TabularInline[Any, ServiceRequest]):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TimelineInline(ReadOnlyInline):
    model = TimelineEntry
    fields = readonly_fields = ("at", "type", "actor_label", "actor", "public", "note", "data")


class ContactInline(ReadOnlyInline):
    model = ReporterContact
    fields = readonly_fields = ("first_name", "last_name", "email", "phone", "language")


Change = Callable[[ServiceRequest, actions.Actor], object]


def _bulk_action(name: str, description: Any, change: Change) -> Callable[..., None]:
    """An admin action (`description`: its translatable label) applying `change` to each
    selected request through its action: one that is refused is reported and does not stop
    the others."""

    def apply(
        modeladmin: admin.ModelAdmin[ServiceRequest],
        request: HttpRequest,
        queryset: QuerySet[ServiceRequest],
    ) -> None:
        done, failed = 0, 0
        actor = actions.Actor(label=str(_("City staff")), user=request.user)
        for service_request in queryset:
            try:
                change(service_request, actor)
                done += 1
            except DomainError as exc:
                failed += 1
                modeladmin.message_user(
                    request, f"{service_request}: {exc}", level=messages.WARNING
                )
        modeladmin.message_user(
            request, _("%(done)d changed, %(failed)d refused.") % {"done": done, "failed": failed}
        )

    apply.__name__ = name  # the admin tells its actions apart by name
    return admin.action(description=description)(apply)


acknowledge = _bulk_action(
    "acknowledge",
    _("Acknowledge"),
    lambda sr, actor: actions.change_status(request=sr, status=Status.ACKNOWLEDGED, actor=actor),
)
close_fixed = _bulk_action(
    "close_fixed",
    _("Close as completed"),
    lambda sr, actor: actions.close(request=sr, status=Status.CLOSED_FIXED, actor=actor),
)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin[ServiceRequest]):
    list_display = [
        "tracking_number",
        "service",
        "status",
        "department",
        "ward",
        "channel",
        "requested_at",
    ]
    list_filter = ["status", "channel", "department", "priority"]
    search_fields = ["tracking_number", "address"]
    list_select_related = ["service", "department"]
    show_full_result_count = False  # a COUNT(*) over millions of rows on every page is too slow
    date_hierarchy = "requested_at"
    inlines = [ContactInline, PhotoInline, TimelineInline]
    actions = [acknowledge, close_fixed]
    raw_id_fields = ["parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in ServiceRequest._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)
