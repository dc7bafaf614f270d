"""Only the re-encoded image and thumbnail of a ready photo are public; originals never are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from civic311.choices import PhotoStatus
from civic311.media.intake import check_photo
from civic311.media.models import Photo
from civic311.media.records import attach_photos
from civic311.media.selectors import photo_urls, public_urls
from civic311.media.tasks import process_photo
from civic311.service_requests.models import ServiceRequest
from civic311.testing import images

pytestmark = [pytest.mark.django_db, pytest.mark.urls("civic311.media.tests.urls")]


@pytest.fixture(autouse=True)
def static_root(settings: Settings, tmp_path: Path) -> None:
    # WhiteNoise warns (an error in the tests) when collectstatic has not run yet.
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


def read_and_close(response: Any) -> bytes:
    # The test client closes a streamed response (and so the file) once it has been read.
    return b"".join(response.streaming_content)


def ready_photo(request: ServiceRequest, data: bytes | None = None) -> Photo:
    (photo,) = attach_photos(request, [check_photo(data or images.phone_photo(), "p.jpg")])
    process_photo.call(photo.pk)
    photo.refresh_from_db()
    return photo


def test_a_ready_photo_and_its_thumbnail_are_served_for_a_long_time(
    client: Client, light_out: ServiceRequest
) -> None:
    photo = ready_photo(light_out)
    for file in (photo.image, photo.thumbnail):
        response = client.get(f"/media/{file.name}")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "immutable" in response["Cache-Control"]
        with file.open("rb") as stored:
            assert read_and_close(response) == stored.read()


def test_an_original_is_never_served(client: Client, light_out: ServiceRequest) -> None:
    photo = ready_photo(light_out)
    assert client.get(f"/media/{photo.original.name}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "photos/../private/originals/x.jpg",
        "photos/2026/01/notours.html",
        "photos/2026/01/0123456789abcdef0123456789abcdef.gif",
        "private/",
    ],
)
def test_nothing_else_under_media_is_served(client: Client, path: str) -> None:
    assert client.get(f"/media/{path}").status_code == 404


def test_a_photo_not_yet_processed_is_not_served(client: Client, light_out: ServiceRequest) -> None:
    photo = ready_photo(light_out)
    Photo.objects.filter(pk=photo.pk).update(status=PhotoStatus.PENDING)
    assert client.get(f"/media/{photo.image.name}").status_code == 404


def test_a_withdrawn_photo_is_no_longer_served_though_its_files_remain(
    client: Client, light_out: ServiceRequest
) -> None:
    photo = ready_photo(light_out)
    Photo.objects.filter(pk=photo.pk).delete()
    assert photo.image.storage.exists(photo.image.name)
    assert client.get(f"/media/{photo.image.name}").status_code == 404


def test_photos_are_only_read(client: Client, light_out: ServiceRequest) -> None:
    photo = ready_photo(light_out)
    head = client.head(f"/media/{photo.image.name}")
    assert head.status_code == 200
    read_and_close(head)
    assert client.post(f"/media/{photo.image.name}").status_code == 405


def test_photo_urls_are_absolute_in_order_and_only_ready_ones(
    light_out: ServiceRequest, settings: Settings
) -> None:
    settings.SITE_URL = "https://311.example.gov"
    first, _pending, third = attach_photos(
        light_out,
        [
            check_photo(images.phone_photo(), "1.jpg"),
            check_photo(images.png_with_alpha(), "2.png"),
            check_photo(images.jpeg(), "3.jpg"),
        ],
    )
    process_photo.call(third.pk)
    process_photo.call(first.pk)
    for photo in (first, third):
        photo.refresh_from_db()
    assert photo_urls(light_out) == [
        f"https://311.example.gov/media/{first.image.name}",
        f"https://311.example.gov/media/{third.image.name}",
    ]
    assert photo_urls(light_out, thumbnails=True) == [
        f"https://311.example.gov/media/{first.thumbnail.name}",
        f"https://311.example.gov/media/{third.thumbnail.name}",
    ]


def test_photo_urls_of_many_requests_cost_one_query_with_prefetching(
    light_out: ServiceRequest, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    ready_photo(light_out)
    with django_assert_num_queries(2):
        requests = list(ServiceRequest.objects.prefetch_related("photos"))
        urls = [photo_urls(request) for request in requests]
    assert len(urls[0]) == 1


def test_public_urls_of_a_page_of_requests_take_one_query(
    light_out: ServiceRequest,
    settings: Settings,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    settings.SITE_URL = "https://311.example.gov"
    first, second = attach_photos(
        light_out,
        [check_photo(images.phone_photo(), "1.jpg"), check_photo(images.jpeg(), "2.jpg")],
    )
    for photo in (first, second):
        process_photo.call(photo.pk)
        photo.refresh_from_db()
    without_photos = light_out.pk + 1000
    with django_assert_num_queries(1):
        urls = public_urls([light_out.pk, without_photos])
    assert urls == {
        light_out.pk: [
            f"https://311.example.gov/media/{first.image.name}",
            f"https://311.example.gov/media/{second.image.name}",
        ],
        without_photos: [],
    }
    assert public_urls([light_out.pk], first_only=True) == {light_out.pk: urls[light_out.pk][:1]}
    assert public_urls([]) == {}
