"""Staff see photos in the admin, read-only, with the original named but never linked."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from civic311.media.intake import check_photo
from civic311.media.records import attach_photos
from civic311.media.tasks import process_photo
from civic311.service_requests.models import ServiceRequest
from civic311.testing import images

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def static_files(settings: Settings, tmp_path: Path) -> None:
    # The admin's pages link its CSS; without collectstatic there is no manifest to look in.
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir(exist_ok=True)


def test_the_admin_shows_a_photo_read_only_without_linking_its_original(
    admin_client: Client, light_out: ServiceRequest
) -> None:
    (photo,) = attach_photos(light_out, [check_photo(images.phone_photo(), "1.jpg")])
    process_photo.call(photo.pk)
    photo.refresh_from_db()

    listing = admin_client.get("/admin/media/photo/")
    assert listing.status_code == 200
    page = admin_client.get(f"/admin/media/photo/{photo.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert photo.original.name in html
    assert f'href="/media/{photo.original.name}"' not in html
    assert f"/media/{photo.thumbnail.name}" in html
    assert 'name="_save"' not in html  # nothing to change
