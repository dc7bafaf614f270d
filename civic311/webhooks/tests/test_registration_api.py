"""Apps manage their webhooks with their API key: register (the secret shown once), list, read,
delete, and read the delivery log; another key's webhooks are invisible; errors are Open311's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from civic311.apikeys.actions import IssuedKey
from civic311.testing import Places, Services
from civic311.testing.openapi import conforms
from civic311.webhooks.tests.support import BASE, Receiver, bearer, register

pytestmark = pytest.mark.django_db


def test_the_secret_is_shown_once_and_never_listed(
    client: Client, services: Services, app_key: IssuedKey, receiver: Receiver
) -> None:
    response = client.post(
        f"{BASE}/webhooks.json",
        {"url": receiver.url(), "scope": "own", "events": "request.opened,request.closed"},
        **bearer(app_key),
    )
    assert response.status_code == 201
    [created] = conforms(response, "/webhooks.json", "POST")
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert created["events"] == ["request.opened", "request.closed"]
    assert created["scope"] == "own" and created["active"] is True

    listed = client.get(f"{BASE}/webhooks.json", **bearer(app_key))
    one = client.get(f"{BASE}/webhooks/{created['id']}.json", **bearer(app_key))
    for answer, path in ((listed, "/webhooks.json"), (one, "/webhooks/{webhook_id}.json")):
        assert answer.status_code == 200
        conforms(answer, path)
        assert created["secret"].encode() not in answer.content
        assert b"secret" not in answer.content
    assert [w["id"] for w in listed.json()] == [created["id"]]


def test_the_key_may_come_as_the_api_key_parameter(
    client: Client, app_key: IssuedKey, receiver: Receiver
) -> None:
    created = client.post(
        f"{BASE}/webhooks.json", {"url": receiver.url(), "scope": "own", "api_key": app_key.key}
    )
    assert created.status_code == 201
    listed = client.get(f"{BASE}/webhooks.json", {"api_key": app_key.key})
    assert len(listed.json()) == 1


def test_without_a_key_it_is_403(client: Client, receiver: Receiver) -> None:
    for response, path, method in (
        (client.get(f"{BASE}/webhooks.json"), "/webhooks.json", "GET"),
        (
            client.post(f"{BASE}/webhooks.json", {"url": receiver.url(), "scope": "own"}),
            "/webhooks.json",
            "POST",
        ),
        (client.get(f"{BASE}/webhooks/1.json"), "/webhooks/{webhook_id}.json", "GET"),
        (client.delete(f"{BASE}/webhooks/1.json"), "/webhooks/{webhook_id}.json", "DELETE"),
        (
            client.get(f"{BASE}/webhooks/1/deliveries.json"),
            "/webhooks/{webhook_id}/deliveries.json",
            "GET",
        ),
        (
            client.get(f"{BASE}/webhooks.json", HTTP_AUTHORIZATION="Bearer c311_nope"),
            "/webhooks.json",
            "GET",
        ),
    ):
        assert response.status_code == 403, (method, path)
        [error] = conforms(response, path, method)
        assert error["code"] == 403


def test_another_keys_webhook_is_404_and_left_alone(
    client: Client, app_key: IssuedKey, other_key: IssuedKey, receiver: Receiver
) -> None:
    theirs = register(client, other_key, receiver, "/theirs", scope="own")["id"]

    for response, path in (
        (
            client.get(f"{BASE}/webhooks/{theirs}.json", **bearer(app_key)),
            "/webhooks/{webhook_id}.json",
        ),
        (
            client.get(f"{BASE}/webhooks/{theirs}/deliveries.json", **bearer(app_key)),
            "/webhooks/{webhook_id}/deliveries.json",
        ),
    ):
        assert response.status_code == 404
        conforms(response, path)
    deleted = client.delete(f"{BASE}/webhooks/{theirs}.json", **bearer(app_key))
    assert deleted.status_code == 404
    conforms(deleted, "/webhooks/{webhook_id}.json", "DELETE")
    assert client.get(f"{BASE}/webhooks.json", **bearer(app_key)).json() == []
    assert len(client.get(f"{BASE}/webhooks.json", **bearer(other_key)).json()) == 1
    assert client.get(f"{BASE}/webhooks/abc.json", **bearer(app_key)).status_code == 404


def test_an_app_deletes_its_webhook(client: Client, app_key: IssuedKey, receiver: Receiver) -> None:
    created = register(client, app_key, receiver, "/hook", scope="own")

    deleted = client.delete(f"{BASE}/webhooks/{created['id']}.json", **bearer(app_key))

    assert deleted.status_code == 204 and deleted.content == b""
    assert client.get(f"{BASE}/webhooks.json", **bearer(app_key)).json() == []
    again = client.delete(f"{BASE}/webhooks/{created['id']}.json", **bearer(app_key))
    assert again.status_code == 404


@pytest.mark.parametrize(
    ("form", "complaints"),
    [
        ({}, ["url: Required.", "scope: scope must be"]),
        ({"url": "ftp://example.org/x", "scope": "own"}, ["url: Not a valid http(s) URL."]),
        ({"url": "https://example.org/x", "scope": "everything"}, ["scope: scope must be"]),
        ({"url": "https://example.org/x", "scope": "area"}, ["area_kind: With scope=area"]),
        (
            {
                "url": "https://example.org/x",
                "scope": "area",
                "area_kind": "ward",
                "area_code": "9",
            },
            ["area_code: There is no such area"],
        ),
        (
            {"url": "https://example.org/x", "scope": "area", "bbox": "1,2,3"},
            ["bbox: bbox must be"],
        ),
        (
            {"url": "https://example.org/x", "scope": "own", "area_code": "2"},
            ["area_code: Only with scope=area."],
        ),
        (
            {"url": "https://example.org/x", "scope": "own", "events": "request.opened,nope"},
            ["events: Unknown event types"],
        ),
    ],
)
def test_what_is_wrong_is_listed(
    client: Client,
    services: Services,
    app_key: IssuedKey,
    form: dict[str, Any],
    complaints: list[str],
) -> None:
    response = client.post(f"{BASE}/webhooks.json", form, **bearer(app_key))

    assert response.status_code == 400
    errors = conforms(response, "/webhooks.json", "POST")
    assert len(errors) == len(complaints)
    for error, complaint in zip(errors, complaints, strict=True):
        assert error["description"].startswith(complaint), error


def test_an_app_has_at_most_twenty_webhooks(client: Client, app_key: IssuedKey) -> None:
    for n in range(20):
        form = {"url": f"https://hooks.example.org/{n}", "scope": "own"}
        assert client.post(f"{BASE}/webhooks.json", form, **bearer(app_key)).status_code == 201

    refused = client.post(
        f"{BASE}/webhooks.json",
        {"url": "https://hooks.example.org/x", "scope": "own"},
        **bearer(app_key),
    )

    assert refused.status_code == 400
    assert "At most 20 webhooks" in refused.json()[0]["description"]


def test_the_delivery_log_of_a_new_webhook_is_empty(
    client: Client, app_key: IssuedKey, places: Places, receiver: Receiver
) -> None:
    created = register(client, app_key, receiver, "/hook", scope="own")
    log = client.get(f"{BASE}/webhooks/{created['id']}/deliveries.json", **bearer(app_key))
    assert conforms(log, "/webhooks/{webhook_id}/deliveries.json") == []
