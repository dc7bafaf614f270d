from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "civic311.messaging"
    verbose_name = _("Text messages")

    def ready(self) -> None:
        from civic311.messaging import checks  # noqa: F401
