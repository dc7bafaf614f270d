"""Staff can read phones (opt-outs, dialogs) and messages; nothing is edited by hand."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from civic311.messaging.models import Message, Phone


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Phone)
class PhoneAdmin(_ReadOnly):
    list_display = ("number", "language", "state", "state_at", "opted_out_at")
    list_filter = ("state", "language")
    search_fields = ("=number",)


@admin.register(Message)
class MessageAdmin(_ReadOnly):
    list_display = ("at", "phone", "direction", "body", "request")
    list_filter = ("direction",)
    search_fields = ("=phone__number", "=request__tracking_number", "=provider_sid")
    list_select_related = ("phone", "request")
    raw_id_fields = ("phone", "reply_to", "request")
