from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "civic311.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        # Registers the "webhooks" handler with the notifications dispatcher, and the check.
        from civic311.webhooks import checks, dispatch  # noqa: F401
