from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from civic311.georeport import apidocs, developers

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    # Webhooks are an extension of the GeoReport API at the same base address; the GeoReport
    # URLconf ends with a catch-all (unknown calls answer in the Open311 error format).
    path("open311/v2/", include("civic311.webhooks.urls")),
    path("open311/v2/", include("civic311.georeport.urls")),
    path("developers/", developers.signup, name="developers"),
    path("media/", include("civic311.resident.photo_urls")),
    path("developers/api/", apidocs.api_reference, name="api-reference"),
    path("staff/", include("civic311.staff.urls")),
    path("sms/", include("civic311.sms.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("civic311.resident.urls")),
]
