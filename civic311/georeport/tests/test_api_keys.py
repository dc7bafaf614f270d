"""API keys: issued from the sign-up page or the command line, stored hashed."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from civic311.georeport.keys import hash_key
from civic311.georeport.models import ApiKey, KeyKind, KeyStatus

pytestmark = pytest.mark.django_db


def test_issue_api_key_prints_a_working_production_key() -> None:
    out = StringIO()
    call_command("issue_api_key", "--app", "Chicago Works", stdout=out)
    key = out.getvalue().strip()
    assert re.fullmatch(r"c311_[A-Za-z0-9_-]{40}", key)
    record = ApiKey.objects.get()
    assert (record.app_name, record.kind, record.status) == (
        "Chicago Works",
        KeyKind.PRODUCTION,
        KeyStatus.ACTIVE,
    )
    assert record.key_hash == hash_key(key)
    assert key not in {record.prefix, record.key_hash}


def test_a_developer_signs_up_and_gets_a_test_key_at_once(client: Client) -> None:
    page = client.get("/developers/")
    assert page.status_code == 200
    response = client.post(
        "/developers/",
        {
            "app_name": "Pothole Pal",
            "contact_email": "dev@example.org",
            "kind": "test",
        },
    )
    html = response.content.decode()
    key = re.search(r"c311_[A-Za-z0-9_-]{40}", html)
    assert key is not None
    record = ApiKey.objects.get()
    assert (record.kind, record.status) == (KeyKind.TEST, KeyStatus.ACTIVE)
    assert record.key_hash == hash_key(key.group(0))


def test_a_production_key_needs_a_privacy_policy_and_waits_for_approval(client: Client) -> None:
    refused = client.post(
        "/developers/",
        {
            "app_name": "Pothole Pal",
            "contact_email": "dev@example.org",
            "kind": "production",
        },
    )
    assert "A production key needs a privacy policy." in refused.content.decode()
    assert not ApiKey.objects.exists()

    client.post(
        "/developers/",
        {
            "app_name": "Pothole Pal",
            "contact_email": "dev@example.org",
            "kind": "production",
            "privacy_policy_url": "https://potholepal.example/privacy",
        },
    )
    assert ApiKey.objects.get().status == KeyStatus.PENDING
