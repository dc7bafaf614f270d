from __future__ import annotations

from typing import Any

import pytest

from civic311.geo.geocoders import import_address_points
from civic311.sms.tests.texting import ACCOUNT_SID, AUTH_TOKEN, CITY_NUMBER, Phone
from civic311.testing import Services


@pytest.fixture
def sms_on(settings: Any) -> None:
    settings.SMS_ENABLED = True
    settings.SMS_PROVIDER = "twilio"
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SMS_FROM_NUMBER = CITY_NUMBER
    settings.SMS_WEBHOOK_URL = ""
    settings.SMS_TRUST_FORWARDED_PROTO = False
    settings.SITE_URL = "https://311.example.org"
    settings.SMS_MAX_SEGMENTS = 4


@pytest.fixture
def streets(services: Services) -> Services:
    """The test city's services, with words residents use, and a few addresses."""
    services.pothole.keywords = "pothole,hole in the road"
    # The catalogue's Spanish (catalog.translation): the dialog reads it in Spanish.
    services.pothole.translations = {"es": {"service_name": "Bache en la calle"}}
    services.pothole.save()
    location = services.pothole.attributes.get(code="location")
    location.translations = {"es": {"description": "¿Dónde está el bache?"}}
    location.save()
    for value, name in zip(
        location.values.order_by("order"),
        ("En la calle", "En un cruce peatonal", "Callejón"),
        strict=True,
    ):
        value.translations = {"es": {"name": name}}
        value.save()
    services.graffiti.keywords = "graffiti,tag,grafiti"
    services.graffiti.save()
    import_address_points(
        [
            ("1200 W Madison St", 41.8819, -87.657, "60607"),
            ("1210 W Madison St", 41.8819, -87.6575, "60607"),
            ("1500 W Madison St", 41.8819, -87.6640, "60607"),
            ("600 N Michigan Ave", 41.8925, -87.6244, "60610"),
        ]
    )
    return services


@pytest.fixture
def rosa(sms_on: None, streets: Services) -> Phone:
    """A resident who texts in English."""
    return Phone("+13125550100")


@pytest.fixture
def lucia(sms_on: None, streets: Services) -> Phone:
    """A resident who texts in Spanish."""
    return Phone("+17735550199")


from civic311.sms.tests.provider_server import twilio_api  # noqa: E402

__all__ = ["twilio_api"]
