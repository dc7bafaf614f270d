"""The console in Spanish (the browser's language): the queue, the request page and the
messages of the actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from civic311.staff.tests.conftest import LogIn, Report
from civic311.testing import Staff

pytestmark = pytest.mark.django_db


def test_the_queue_and_the_request_page_in_spanish(
    staff: Staff, report: Report, log_in: LogIn
) -> None:
    sr = report("sewer_cave_in", at=timezone.now() - timedelta(days=3))
    client = log_in(staff.water)

    queue = client.get("/staff/queue/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Cola de trabajo: Water Management" in queue
    assert "1 solicitud abierta" in queue and "1 vencidas" in queue
    assert ">Vencida<" in queue and "Más antiguas primero" in queue

    url = f"/staff/requests/{sr.tracking_number}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "En qué punto está" in page and "Redirigir" in page and "Historial" in page

    refused = client.post(f"{url}close/", {"status": "closed_not_fixed"}, HTTP_ACCEPT_LANGUAGE="es")
    assert "Explíquelo en una nota, por favor." in refused.content.decode()
