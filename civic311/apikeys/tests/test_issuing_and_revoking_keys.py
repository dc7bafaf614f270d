"""API keys: issued from the command line, stored hashed, approved and revoked by the city."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from civic311.apikeys import actions
from civic311.apikeys.models import ApiKey
from civic311.apikeys.selectors import usable_key
from civic311.choices import KeyKind, KeyStatus
from civic311.lib.errors import NotPermitted

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
    assert record.key_hash == actions.hash_key(key)
    assert key not in {record.prefix, record.key_hash}
    assert usable_key(key) == record


def refusal(presented: str) -> str:
    with pytest.raises(NotPermitted) as refused:
        usable_key(presented)
    return refused.value.problems[0].code


def test_a_production_key_works_only_once_approved_and_until_revoked() -> None:
    issued = actions.issue_key(
        app_name="Pothole Pal", contact_email="dev@example.com", kind=KeyKind.PRODUCTION
    )
    assert refusal(issued.key) == "api_key.pending"
    assert actions.approve_keys(ApiKey.objects.all()) == 1
    assert actions.approve_keys(ApiKey.objects.all()) == 0  # only waiting keys are approved
    approved = usable_key(issued.key)
    assert approved.approved_at is not None
    actions.revoke_keys(ApiKey.objects.filter(pk=approved.pk))
    assert refusal(issued.key) == "api_key.revoked"


def test_a_missing_or_unknown_key_is_refused_saying_which() -> None:
    assert refusal("") == "api_key.missing"
    assert refusal("c311_not-a-key-we-issued") == "api_key.invalid"
