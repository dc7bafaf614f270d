from django.apps import AppConfig


class Civic311Config(AppConfig):
    name = "civic311"
    verbose_name = "Civic311"

    def ready(self) -> None:
        from civic311 import checks  # noqa: F401  (registers the system checks)
