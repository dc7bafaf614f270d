from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "civic311.catalog"
    verbose_name = _("Service catalogue")

    def ready(self) -> None:
        from civic311.catalog import cache  # noqa: F401  (connects the invalidation signals)
