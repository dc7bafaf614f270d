"""Finding the key a caller presented."""

from __future__ import annotations

from django.utils.translation import gettext as _

from civic311.apikeys.actions import hash_key
from civic311.apikeys.models import ApiKey
from civic311.choices import KeyStatus
from civic311.lib.errors import NotPermitted, Problem


def usable_key(presented: str) -> ApiKey:
    """The active key `presented` is; raises NotPermitted saying why not (missing, unknown,
    waiting for approval, revoked)."""
    if not presented:
        raise NotPermitted(
            [Problem("api_key.missing", "api_key", _("An api_key is required to submit."))]
        )
    record = ApiKey.objects.filter(key_hash=hash_key(presented)).first()
    if record is None:
        raise NotPermitted([Problem("api_key.invalid", "api_key", _("Invalid api_key."))])
    if record.status == KeyStatus.PENDING:
        raise NotPermitted(
            [Problem("api_key.pending", "api_key", _("This api_key is waiting for approval."))]
        )
    if not record.is_usable:
        raise NotPermitted(
            [Problem("api_key.revoked", "api_key", _("This api_key has been revoked."))]
        )
    return record
