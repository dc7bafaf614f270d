from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "civic311.sms"
    verbose_name = _("Text messages")

    def ready(self) -> None:
        from civic311.sms import checks  # noqa: F401
