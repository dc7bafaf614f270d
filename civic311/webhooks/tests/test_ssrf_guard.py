"""Outside development, a webhook may only call public HTTPS addresses: checked when the app
registers the URL and again, on the resolved address, before every attempt."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.test import Client

from civic311.apikeys.actions import IssuedKey
from civic311.choices import DeliveryStatus, WebhookScope
from civic311.testing import Places, Services
from civic311.webhooks.models import Webhook, WebhookDelivery
from civic311.webhooks.tests.support import BASE, Receiver, bearer, run_worker, submit


@pytest.fixture
def production(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_HTTP_LOCAL = False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("http://hooks.example.org/x", "The URL must start with https://."),
        ("http://127.0.0.1:8080/x", "The URL must start with https://."),
        ("https://127.0.0.1/x", "The URL points to a private or local address."),
        ("https://10.1.2.3/x", "The URL points to a private or local address."),
        ("https://192.168.0.10/x", "The URL points to a private or local address."),
        ("https://169.254.169.254/latest/meta-data", "The URL points to a private or local"),
        ("https://[::1]/x", "The URL points to a private or local address."),
        ("https://[::ffff:10.0.0.1]/x", "The URL points to a private or local address."),
        ("https://localhost/x", "The URL points to a private or local address."),
        ("https://app.localhost/x", "The URL points to a private or local address."),
        ("https://user:pw@hooks.example.org/x", "Credentials in the URL are not allowed"),
    ],
)
def test_registration_refuses_private_and_plain_http_urls(
    client: Client, app_key: IssuedKey, production: None, url: str, complaint: str
) -> None:
    response = client.post(f"{BASE}/webhooks.json", {"url": url, "scope": "own"}, **bearer(app_key))

    assert response.status_code == 400
    assert response.json()[0]["description"].startswith(f"url: {complaint}")
    assert not Webhook.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_delivery_to_a_private_address_is_refused_not_sent(
    client: Client,
    services: Services,
    places: Places,
    app_key: IssuedKey,
    receiver: Receiver,
    production: None,
) -> None:
    # Registered while local calls were allowed (a developer's machine), then deployed.
    Webhook.objects.create(
        api_key=app_key.record, url=receiver.url("/inside"), secret="s", scope=WebhookScope.OWN
    )
    submit(client, app_key, places.ward2_near_north)

    run_worker()

    assert receiver.calls == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert delivery.last_error.startswith("Refused: ")


@pytest.mark.django_db(transaction=True)
def test_a_public_name_that_resolves_to_a_private_address_is_refused(
    client: Client,
    services: Services,
    places: Places,
    app_key: IssuedKey,
    receiver: Receiver,
    production: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DNS is the seam: the name's owner points it at the city's internal network."""
    Webhook.objects.create(
        api_key=app_key.record,
        url="https://hooks.example.org/x",
        secret="s",
        scope=WebhookScope.OWN,
    )
    real = socket.getaddrinfo

    def rebound(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "hooks.example.org":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebound)
    submit(client, app_key, places.ward2_near_north)

    run_worker()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "resolves to a private or local address" in delivery.last_error
