from django.contrib import admin

from civic311.staff.models import DigestSent, LoginFailure, ResponseTemplate, SavedView


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin[ResponseTemplate]):
    list_display = ["name", "service", "status"]
    list_filter = ["status", "service"]
    search_fields = ["name", "text"]


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin[SavedView]):
    list_display = ["name", "owner", "department", "query"]
    search_fields = ["name", "owner__username"]


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin[LoginFailure]):
    """Deleting a user's rows here lifts their lockout at once."""

    list_display = ["username", "address", "device", "at"]
    search_fields = ["username", "address"]
    list_filter = ["at"]


@admin.register(DigestSent)
class DigestSentAdmin(admin.ModelAdmin[DigestSent]):
    """What the daily SLA digest sent (staff/digest.py). Deleting a row lets that day be sent
    again on the next run."""

    list_display = ["day", "department", "status", "overdue", "recipients", "sent_at"]
    list_filter = ["status", "department"]
    date_hierarchy = "day"
