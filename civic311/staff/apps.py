from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "civic311.staff"
    verbose_name = _("Staff console")

    def ready(self) -> None:
        from civic311.staff import login  # noqa: F401 (connects the idle clock to logins)
