"""Mounted under the GeoReport base address (/open311/v2/, before the GeoReport URLconf and its
catch-all: civic311/urls.py), so the calls share its address and its OpenAPI document."""

from django.urls import re_path

from civic311.webhooks import views

app_name = "webhooks"

urlpatterns = [
    re_path(r"^webhooks\.json$", views.webhooks, name="webhooks"),
    re_path(r"^webhooks/(?P<webhook_id>[^/]+?)\.json$", views.webhook, name="webhook"),
    re_path(
        r"^webhooks/(?P<webhook_id>[^/]+?)/deliveries\.json$",
        views.deliveries,
        name="webhook-deliveries",
    ),
]
