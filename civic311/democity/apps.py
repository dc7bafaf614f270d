from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoCityConfig(AppConfig):
    name = "civic311.democity"
    verbose_name = _("Demo city")
