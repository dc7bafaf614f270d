"""Fuzzing the API from its OpenAPI document: whatever a client sends, the answer is never a
server error, and it is what the document declares (status, content type, headers, body).

Schemathesis generates requests for every operation (the document's examples, boundary and
invalid values, then random ones) and calls the Django app in-process through WSGI, in the
test's database holding the test city. Hypothesis is derandomized: CI runs the same calls
every time.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from civic311.apikeys.actions import IssuedKey
from civic311.catalog.models import Service
from civic311.choices import Channel, Datatype, Status
from civic311.georeport.apidocs import document
from civic311.service_requests import actions
from civic311.testing import Places, Services, add_question

pytestmark = pytest.mark.django_db

SCHEMA = schemathesis.openapi.from_dict(copy.deepcopy(document()))
SCHEMA.app = WSGIHandler()
# The demo city's pothole questions, which the document's examples answer.
DEMO_QUESTIONS = [
    ("where", Datatype.SINGLEVALUELIST, True, ("street", "crosswalk", "curb_lane")),
    ("size", Datatype.SINGLEVALUELIST, False, ("small", "medium", "large")),
    ("count", Datatype.NUMBER, False, ()),
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def in_process() -> Iterator[None]:
    """Keeps Django from closing the test's database connection after each call, as its test
    client does: the calls run inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_key(
    in_process: None, services: Services, places: Places, app_key: IssuedKey
) -> Iterator[str]:
    """The test city, a few requests to list, the demo city's pothole code (the document's
    examples use it), and the app's key, allowed to push updates and not rate limited."""
    cache.clear()
    demo = Service.objects.get(pk=services.pothole.pk)
    demo.pk = None
    demo.service_code = "4fd3b656e750846c53000004"
    demo.save()
    for order, (code, datatype, required, values) in enumerate(DEMO_QUESTIONS, start=1):
        add_question(
            demo,
            code,
            datatype,
            required=required,
            order=order,
            values=tuple((key, key) for key in values),
        )
    lat, long = places.ward1_near_west
    made = actions.submit_request(
        service_code="pothole",
        channel=Channel.WEB,
        actor=actions.Actor.resident(),
        lat=lat,
        long=long,
        answers={"location": "street"},
        description="Deep one",
    ).request
    actions.change_status(
        request=made, status=Status.SCHEDULED, actor=actions.Actor(label="Streets"), note="Soon."
    )
    app_key.record.can_post_updates = True
    app_key.record.posts_per_minute = 1_000_000
    app_key.record.save()
    with override_settings(API_GET_PER_MINUTE=1_000_000):
        yield app_key.key


@SCHEMA.parametrize()
@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_call_is_ever_a_server_error(case: Any, fuzz_key: str) -> None:
    # A random jurisdiction_id is a 404 before anything else is read: leave it out, so the
    # calls reach the rest (test_openapi.py checks the 404).
    for part in (case.query, case.body):
        if isinstance(part, dict):
            part.pop("jurisdiction_id", None)
    response = case.call(headers={"Authorization": f"Bearer {fuzz_key}"})
    assert response.status_code < 500, case.as_curl_command()
    case.validate_response(response, checks=CHECKS)
