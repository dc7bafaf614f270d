"""Spliced into the GeoReport URLconf (civic311/georeport/urls.py), so the calls share its
namespace, base address and OpenAPI document."""

from django.urls import re_path

from civic311.webhooks import views

urlpatterns = [
    re_path(r"^webhooks\.json$", views.webhooks, name="webhooks"),
    re_path(r"^webhooks/(?P<webhook_id>[^/]+?)\.json$", views.webhook, name="webhook"),
    re_path(
        r"^webhooks/(?P<webhook_id>[^/]+?)/deliveries\.json$",
        views.deliveries,
        name="webhook-deliveries",
    ),
]
