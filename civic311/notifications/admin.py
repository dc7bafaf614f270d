"""Staff see who follows what and every message sent; failed deliveries are one filter away."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civic311.choices import NotificationStatus
from civic311.notifications.deliveries import enqueue_send
from civic311.notifications.models import Delivery, Subscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = (
        "request",
        "channel",
        "address",
        "language",
        "is_reporter",
        "confirmed_at",
        "unsubscribed_at",
        "moved_to",
    )
    list_filter = ("channel", "is_reporter", "language")
    search_fields = ("=request__tracking_number", "address")
    list_select_related = ("request",)
    raw_id_fields = ("request", "moved_to")
    exclude = ("token",)  # the secret in the links: not even staff need it
    date_hierarchy = "created_at"


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "request_number",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "kind")
    search_fields = ("=subscription__request__tracking_number", "subscription__address")
    list_select_related = ("subscription__request",)
    raw_id_fields = ("subscription", "entry")
    actions = ("send_again",)
    date_hierarchy = "created_at"

    @admin.display(description=_("request"), ordering="subscription__request__tracking_number")
    def request_number(self, obj: Delivery) -> str:
        return obj.subscription.request.tracking_number

    @admin.display(description=_("last error"))
    def short_error(self, obj: Delivery) -> str:
        return obj.last_error[:80]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Needed for the "send again" action; every field stays read-only.
        return bool(
            request.user.is_staff and request.user.has_perm("notifications.change_delivery")
        )

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in Delivery._meta.fields]

    @admin.action(description=_("Send the failed deliveries again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = 0
        for delivery in queryset.filter(status=NotificationStatus.FAILED).select_related(
            "subscription"
        ):
            with transaction.atomic():
                updated = Delivery.objects.filter(
                    pk=delivery.pk, status=NotificationStatus.FAILED
                ).update(
                    status=NotificationStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
                )
                if updated:
                    enqueue_send(delivery)
                    count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery will be sent again.",
                "%(count)d deliveries will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
