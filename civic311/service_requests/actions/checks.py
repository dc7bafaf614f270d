"""What a report says, checked the same for every channel: the service, the description, the
reporter's contact details, a media URL. Each check adds its problems to a list and returns the
value cleaned (stripped, normalised) for storing."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from civic311.catalog.cache import catalog
from civic311.catalog.models import Service
from civic311.lib.errors import Problem

MAX_DESCRIPTION = 4000
MAX_NAME = 100
MAX_MEDIA_URL = 500


@dataclass(frozen=True)
class Contact:
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    device_id: str = ""
    account_id: str = ""
    language: str = ""

    def is_empty(self) -> bool:
        return not any(
            (
                self.first_name,
                self.last_name,
                self.email,
                self.phone,
                self.device_id,
                self.account_id,
            )
        )


def too_long(code: str, field: str, limit: int) -> Problem:
    return Problem(code, field, _("At most %(limit)d characters.") % {"limit": limit})


def load_service(service_code: str) -> Service | None:
    return catalog.service(service_code)


def check_service(service_code: str, problems: list[Problem]) -> Service | None:
    """The active service of that code."""
    service_code = (service_code or "").strip()
    if not service_code:
        problems.append(
            Problem("service_code.missing", "service_code", _("Say what kind of problem it is."))
        )
        return None
    service = load_service(service_code)
    if service is None or not service.active:
        problems.append(
            Problem(
                "service_code.unknown",
                "service_code",
                _("There is no service “%(code)s”.") % {"code": service_code[:64]},
            )
        )
        return None
    return service


def check_description(description: str, problems: list[Problem]) -> str:
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        problems.append(
            Problem(
                "description.too_long",
                "description",
                _("The description has %(count)d characters; at most %(limit)d are allowed.")
                % {"count": len(description), "limit": MAX_DESCRIPTION},
            )
        )
    return description


def _phone(phone: str, problems: list[Problem]) -> str:
    """Digits, with the + of an international number: "(312) 555-0100" is "3125550100"."""
    if not phone:
        return ""
    digits = "".join(c for c in phone if c.isdigit())
    if not 7 <= len(digits) <= 15 or any(c not in "0123456789+-(). " for c in phone):
        problems.append(Problem("contact.phone_invalid", "phone", _("This is not a phone number.")))
        return phone
    return ("+" if phone.startswith("+") else "") + digits


def check_contact(contact: Contact, problems: list[Problem]) -> Contact:
    email = contact.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                Problem("contact.email_invalid", "email", _("This is not an email address."))
            )
    phone = _phone(contact.phone.strip(), problems)
    for name in ("first_name", "last_name", "device_id", "account_id"):
        if len(getattr(contact, name)) > MAX_NAME:
            problems.append(too_long("contact.too_long", name, MAX_NAME))
    return Contact(
        first_name=contact.first_name.strip(),
        last_name=contact.last_name.strip(),
        email=email.lower(),
        phone=phone,
        device_id=contact.device_id.strip(),
        account_id=contact.account_id.strip(),
        language=contact.language.strip()[:8],
    )


def check_media_url(media_url: str, problems: list[Problem]) -> str:
    media_url = (media_url or "").strip()
    if not media_url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(media_url)
    except ValidationError:
        problems.append(Problem("media_url.invalid", "media_url", _("This is not a web address.")))
        return media_url
    if len(media_url) > MAX_MEDIA_URL:
        problems.append(too_long("media_url.too_long", "media_url", MAX_MEDIA_URL))
    return media_url
