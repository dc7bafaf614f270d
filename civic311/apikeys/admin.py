from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civic311.apikeys import actions
from civic311.apikeys.models import ApiKey


@admin.action(description=_("Approve the selected keys"))
def approve(
    modeladmin: admin.ModelAdmin[ApiKey], request: HttpRequest, queryset: QuerySet[ApiKey]
) -> None:
    actions.approve_keys(queryset)


@admin.action(description=_("Revoke the selected keys"))
def revoke(
    modeladmin: admin.ModelAdmin[ApiKey], request: HttpRequest, queryset: QuerySet[ApiKey]
) -> None:
    actions.revoke_keys(queryset)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    list_display = ["app_name", "prefix", "kind", "status", "contact_email", "created_at"]
    list_filter = ["kind", "status", "can_post_updates"]
    search_fields = ["app_name", "contact_email", "prefix"]
    readonly_fields = ["prefix", "key_hash", "created_at", "approved_at"]
    actions = [approve, revoke]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are issued by the sign-up page or `manage.py issue_api_key`
