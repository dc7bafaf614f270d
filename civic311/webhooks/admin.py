from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from civic311.webhooks.models import Webhook, WebhookDelivery


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin[Webhook]):
    list_display = ["url", "api_key", "scope", "area_kind", "area_code", "active", "created_at"]
    list_filter = ["scope", "active", "area_kind"]
    search_fields = ["url", "api_key__app_name"]
    raw_id_fields = ["api_key"]
    # The signing secret is the app's; staff never need to read it.
    exclude = ["secret"]
    readonly_fields = ["created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # apps register through the API, which shows them their secret


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = [
        "id",
        "webhook",
        "event",
        "status",
        "attempts",
        "response_status",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["status", "event"]
    list_select_related = ["webhook"]
    raw_id_fields = ["webhook", "entry"]
    readonly_fields = [
        "webhook",
        "entry",
        "event",
        "body",
        "attempts",
        "response_status",
        "response_body",
        "last_error",
        "created_at",
        "delivered_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
