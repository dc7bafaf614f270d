"""Reading form and query parameters the way every API call does: the first non-empty value of
each, stripped, and text that was not UTF-8 refused."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _

from civic311.lib.errors import InvalidInput, Problem


def single_values(data: QueryDict) -> dict[str, str]:
    """The first non-empty value of each parameter, stripped; raises on text that was not UTF-8
    (Django decodes it to U+FFFD)."""
    values: dict[str, str] = {}
    problems = []
    for key in data:
        for raw in data.getlist(key):
            if "\ufffd" in key or (isinstance(raw, str) and "\ufffd" in raw):
                if key == "media":
                    # A photo sent as a plain field (no filename) arrives as undecodable text.
                    message = _("Send each photo as a file part, with a filename.")
                else:
                    message = _("Parameters must be valid UTF-8.")
                problems.append(Problem("encoding.invalid", key[:40], message))
                break
            value = raw.strip() if isinstance(raw, str) else ""
            if value and key not in values:
                values[key] = value
    if problems:
        raise InvalidInput(problems[:1])
    return values
