from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from civic311.georeport import apidocs, submit, updates, views
from civic311.lib import formats

app_name = "georeport"

FMT = r"(?P<fmt>json|xml)"


@csrf_exempt
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    """One URL, two calls: GET lists requests, POST submits one."""
    if request.method == "POST":
        return submit.requests_post(request, fmt=fmt)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        response = formats.errors(fmt, 405, ["Use GET to list requests or POST to submit one."])
        response["Allow"] = "GET, POST, OPTIONS"
        return response
    return views.requests_list(request, fmt=fmt)


urlpatterns = [
    path("", views.not_found, name="root"),
    re_path(rf"^discovery\.{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^services\.{FMT}$", views.services, name="services"),
    re_path(rf"^services/(?P<code>[^/]+?)\.{FMT}$", views.service_definition, name="service"),
    re_path(rf"^requests\.{FMT}$", requests_view, name="requests"),
    re_path(
        rf"^requests/(?P<service_request_id>[^/]+?)\.{FMT}$", views.request_detail, name="request"
    ),
    re_path(rf"^tokens/(?P<token>[^/]+?)\.{FMT}$", views.token, name="token"),
    re_path(rf"^servicerequestupdates\.{FMT}$", updates.service_request_updates, name="updates"),
    path("openapi.json", apidocs.openapi_json, name="openapi-json"),
    path("openapi.yaml", apidocs.openapi_yaml, name="openapi-yaml"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
