"""API keys from the developers' sign-up page: test keys at once, production keys after approval."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from civic311.apikeys.actions import hash_key
from civic311.apikeys.models import ApiKey
from civic311.choices import KeyKind, KeyStatus

pytestmark = pytest.mark.django_db


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
