from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoReportConfig(AppConfig):
    name = "civic311.georeport"
    verbose_name = _("Open311 API")
