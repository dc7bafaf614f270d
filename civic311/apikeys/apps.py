from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiKeysConfig(AppConfig):
    name = "civic311.apikeys"
    verbose_name = _("API keys")
