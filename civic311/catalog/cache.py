"""The service catalogue, held in each process.

Every submission needs its service with all its questions, answers and routing rules; loading
them costs more than the rest of a submission's reads together. The catalogue changes rarely
(an administrator edits a service), so each process keeps it and checks at most every few
seconds, with one small query, whether anything changed (newest `updated_at` and row counts;
answer and routing-rule edits touch their service, see signals below).
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any

from django.db.models import Count, Max, Prefetch
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from civic311.catalog.models import AttributeValue, Jurisdiction, Service, ServiceAttribute
from civic311.departments.models import RoutingRule

_RECHECK_SECONDS = 5.0


class CatalogCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._services: dict[str, Service] = {}
        self._jurisdictions: list[Jurisdiction] = []
        self._stamp: tuple[Any, ...] | None = None
        self._checked_at = 0.0

    def reset(self) -> None:
        with self._lock:
            self._stamp = None

    @staticmethod
    def _current_stamp() -> tuple[Any, ...]:
        services = Service.objects.aggregate(newest=Max("updated_at"), count=Count("id"))
        attributes = ServiceAttribute.objects.aggregate(newest=Max("updated_at"), count=Count("id"))
        return (
            services["newest"],
            services["count"],
            attributes["newest"],
            attributes["count"],
            Jurisdiction.objects.count(),
        )

    def _ensure_loaded(self) -> None:
        now = time.monotonic()
        if self._stamp is not None and now - self._checked_at < _RECHECK_SECONDS:
            return
        with self._lock:
            stamp = self._current_stamp()
            self._checked_at = now
            if stamp == self._stamp:
                return
            services = Service.objects.select_related(
                "department", "jurisdiction"
            ).prefetch_related(
                "attributes__values",
                Prefetch(
                    "routing_rules",
                    queryset=RoutingRule.objects.select_related("department"),
                ),
            )
            self._services = {s.service_code: s for s in services}
            self._jurisdictions = list(Jurisdiction.objects.order_by("id"))
            self._stamp = stamp

    def version(self) -> str:
        """Changes whenever the catalogue does (for cache keys of answers built from it)."""
        self._ensure_loaded()
        # A digest, not hash(): the same in every process, so a shared cache is shared.
        return hashlib.sha1(repr(self._stamp).encode(), usedforsecurity=False).hexdigest()[:12]

    def service(self, code: str) -> Service | None:
        """The service with its questions, answers, department and routing rules loaded."""
        self._ensure_loaded()
        return self._services.get(code)

    def jurisdictions(self) -> list[Jurisdiction]:
        self._ensure_loaded()
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
