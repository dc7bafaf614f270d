from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentConfig(AppConfig):
    name = "civic311.resident"
    verbose_name = _("Resident pages")
