"""The console's `report` fixture (conftest.py), for the desk and ward tests: every request at
one spot unless told where (a caller's address), with the reporter's phone or email when
given. Import `report` into a test module to use it there."""

from __future__ import annotations

from typing import Any

import pytest

from civic311.service_requests.actions import Contact
from civic311.service_requests.models import ServiceRequest
from civic311.staff.tests.conftest import Report
from civic311.testing import Places

__all__ = ["Report", "report"]


@pytest.fixture
def report(report: Report, places: Places) -> Report:
    def make(
        service_code: str = "sewer_cave_in",
        *,
        where: tuple[float, float] | None = None,
        phone: str = "",
        email: str = "",
        **extra: Any,
    ) -> ServiceRequest:
        if service_code == "graffiti":
            extra.setdefault("answers", {"surface": ["brick"]})
        if phone or email:
            extra["contact"] = Contact(first_name="Rosa", phone=phone, email=email)
        return report(service_code, where=where or places.ward1_near_west, **extra)

    return make
