from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "civic311.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Channels register their dispatch handlers on import.
        from civic311.notifications import checks  # noqa: F401
        from civic311.notifications.channels.email import handler  # noqa: F401
        from civic311.notifications.channels.sms import handler as sms_handler  # noqa: F401
