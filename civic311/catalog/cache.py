"""The service catalogue, held in each process.

Every submission needs its service with all its questions, answers and routing rules; loading
them costs more than the rest of a submission's reads together. The catalogue changes rarely
(an administrator edits a service), so each process keeps it and checks at most every few
seconds whether anything changed (civic311/reloading.py); answer and routing-rule edits touch
their service or question, see the signals below.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Count, Max, Prefetch
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from civic311.catalog.models import AttributeValue, Jurisdiction, Service, ServiceAttribute
from civic311.departments.models import RoutingRule
from civic311.reloading import ReloadingCache


class CatalogCache(ReloadingCache):
    def __init__(self) -> None:
        super().__init__()
        self._services: dict[str, Service] = {}
        self._jurisdictions: list[Jurisdiction] = []

    def current_stamp(self) -> tuple[Any, ...]:
        services = Service.objects.aggregate(newest=Max("updated_at"), count=Count("id"))
        attributes = ServiceAttribute.objects.aggregate(newest=Max("updated_at"), count=Count("id"))
        return (
            services["newest"],
            services["count"],
            attributes["newest"],
            attributes["count"],
            Jurisdiction.objects.count(),
        )

    def load(self) -> None:
        services = Service.objects.select_related("department", "jurisdiction").prefetch_related(
            "attributes__values",
            Prefetch("routing_rules", queryset=RoutingRule.objects.select_related("department")),
        )
        self._services = {s.service_code: s for s in services}
        self._jurisdictions = list(Jurisdiction.objects.order_by("id"))

    def version(self) -> str:
        """Changes whenever the catalogue does (for cache keys of answers built from it)."""
        self.ensure_loaded()
        # A digest, not hash(): the same in every process, so a shared cache is shared.
        return hashlib.sha1(repr(self._stamp).encode(), usedforsecurity=False).hexdigest()[:12]

    def service(self, code: str) -> Service | None:
        """The service with its questions, answers, department and routing rules loaded."""
        self.ensure_loaded()
        return self._services.get(code)

    def all_services(self) -> list[Service]:
        """Every service (active or not), with the same related objects as service()."""
        self.ensure_loaded()
        return list(self._services.values())

    def jurisdictions(self) -> list[Jurisdiction]:
        self.ensure_loaded()
        return self._jurisdictions


catalog = CatalogCache()


@receiver([post_save, post_delete], sender=AttributeValue)
def _touch_attribute(sender: type, instance: AttributeValue, **kwargs: Any) -> None:
    ServiceAttribute.objects.filter(pk=instance.attribute_id).update(updated_at=timezone.now())
    catalog.reset()


@receiver([post_save, post_delete], sender=RoutingRule)
def _touch_service(sender: type, instance: RoutingRule, **kwargs: Any) -> None:
    Service.objects.filter(pk=instance.service_id).update(updated_at=timezone.now())
    catalog.reset()


@receiver([post_save, post_delete], sender=Service)
@receiver([post_save, post_delete], sender=ServiceAttribute)
@receiver([post_save, post_delete], sender=Jurisdiction)
def _changed(sender: type, **kwargs: Any) -> None:
    catalog.reset()
