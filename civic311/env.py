"""Typed readers for environment variables.

Every setting a deployment can change is read here, by name, with a type. A value that does not
parse stops the process at start-up with a message naming the variable: a city finds out about a
typo in `DATABASE_URL` when it deploys, not when the first resident submits a request.
Every variable is documented in docs/configuration.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def env_secret(name: str, default_file: Path, default: str) -> str:
    """NAME, else the contents of the file named by NAME_FILE (or default_file if it exists)."""
    value = _raw(name)
    if value:
        return value
    file_name = _raw(f"{name}_FILE")
    path = Path(file_name) if file_name else default_file
    if file_name and not path.is_file():
        raise ImproperlyConfigured(f"{name}_FILE={file_name!r} is not a readable file")
    if path.is_file():
        text = path.read_text(encoding="utf-8").strip()
        if not text:
            raise ImproperlyConfigured(f"{path} is empty; it must hold {name}")
        return text
    return default


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true/false, 1/0, yes/no)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}")
    return number


def env_float(name: str, default: float) -> float:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_point(name: str, default: tuple[float, float]) -> tuple[float, float]:
    """ "latitude,longitude", e.g. "41.8781,-87.6298"."""
    value = _raw(name)
    if not value:
        return default
    try:
        lat, long = (float(part) for part in value.split(","))
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected latitude,longitude") from None
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        raise ImproperlyConfigured(f"{name}={value!r}: latitude or longitude out of range")
    return lat, long


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}")
    return value


@dataclass(frozen=True)
class DatabaseConfig:
    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: tuple[tuple[str, str], ...] = ()


_ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}


def parse_database_url(url: str, *, variable: str = "DATABASE_URL") -> DatabaseConfig:
    """`postgres://user:pass@host:5432/name?sslmode=require` or `sqlite:///path/to/db.sqlite3`."""
    parts = urlsplit(url)
    engine = _ENGINES.get(parts.scheme)
    if engine is None:
        raise ImproperlyConfigured(
            f"{variable} has scheme {parts.scheme!r}; use postgres:// or sqlite:///"
        )
    if engine.endswith("sqlite3"):
        # sqlite:///relative.db and sqlite:////absolute/path.db, as most tools read them.
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise ImproperlyConfigured(f"{variable} names no SQLite file")
        return DatabaseConfig(engine=engine, name=path)
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured(f"{variable} names no database (postgres://host/NAME)")
    try:
        port = str(parts.port or "")
    except ValueError:
        raise ImproperlyConfigured(f"{variable} has a port that is not a number") from None
    return DatabaseConfig(
        engine=engine,
        name=name,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        host=unquote(parts.hostname or ""),
        port=port,
        options=tuple(parse_qsl(parts.query)),
    )
