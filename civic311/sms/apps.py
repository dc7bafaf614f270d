from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "civic311.sms"
    verbose_name = _("SMS dialog")
