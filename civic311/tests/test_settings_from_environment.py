"""Settings come from the environment, typed, and fail loudly on bad values."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from civic311.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_secret,
    parse_database_url,
)


def test_a_boolean_that_is_not_one_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", False)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("Yes", True), ("off", False)])
def test_booleans_are_read_as_people_write_them(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


def test_a_number_that_is_not_one_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='twenty-five' is not a whole"):
        env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("EMAIL_PORT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("EMAIL_PORT", 25, minimum=1)


def test_lists_and_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", " a.gov, b.gov ,,")
    assert env_list("ALLOWED_HOSTS", []) == ["a.gov", "b.gov"]
    monkeypatch.setenv("GEOCODER", "google")
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        env_choice("GEOCODER", "address_points", ("address_points", "nominatim"))


def test_a_secret_comes_from_the_variable_or_its_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret-from-a-file\n")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert env_secret("SECRET_KEY", tmp_path / "none", "dev") == "s3cret-from-a-file"
    monkeypatch.setenv("SECRET_KEY", "from-the-variable")
    assert env_secret("SECRET_KEY", tmp_path / "none", "dev") == "from-the-variable"
    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="not a readable file"):
        env_secret("SECRET_KEY", tmp_path / "none", "dev")


def test_database_urls_for_postgresql_and_sqlite() -> None:
    pg = parse_database_url("postgres://civic:p%40ss@db.local:5433/civic311?sslmode=require")
    assert (pg.engine, pg.name, pg.user, pg.password, pg.host, pg.port) == (
        "django.db.backends.postgresql",
        "civic311",
        "civic",
        "p@ss",
        "db.local",
        "5433",
    )
    assert pg.options == (("sslmode", "require"),)
    assert parse_database_url("sqlite:////var/lib/civic.db").name == "/var/lib/civic.db"
    assert parse_database_url("sqlite:///var/civic.db").name == "var/civic.db"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x/y", "scheme 'mysql'"),
        ("postgres://host/", "names no database"),
        ("postgres://host:port/db", "port that is not a number"),
        ("sqlite://", "names no SQLite file"),
    ],
)
def test_a_bad_database_url_is_refused(url: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_database_url(url)


def check_ids() -> set[str]:
    return {message.id for message in run_checks() if message.id}


def test_the_checks_pass_on_these_settings() -> None:
    assert not {i for i in check_ids() if i.startswith("civic311.")}


@override_settings(TIME_ZONE="America/Chicago")
def test_a_non_utc_time_zone_fails_a_check() -> None:
    assert "civic311.E001" in check_ids()


@override_settings(CITY_TIME_ZONE="Chicago/Loop")
def test_an_unknown_city_time_zone_fails_a_check() -> None:
    assert "civic311.E003" in check_ids()


@override_settings(DEBUG=False, SECRET_KEY="insecure-development-key-do-not-use-in-production")
def test_the_development_key_outside_debug_fails_a_check() -> None:
    assert "civic311.E002" in check_ids()


@override_settings(DEBUG=True, SECRET_KEY="insecure-development-key-do-not-use-in-production")
def test_the_development_key_is_fine_in_debug() -> None:
    assert "civic311.E002" not in check_ids()
