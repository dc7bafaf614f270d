"""The worker publishes a photo re-encoded from its pixels alone: no position, no camera serial,
upright, at most 2048 pixels on its long side."""

from __future__ import annotations

import io

import pytest
from django.db.models.fields.files import FieldFile
from PIL import Image

from civic311.choices import PhotoStatus
from civic311.media.intake import check_photo
from civic311.media.models import Photo
from civic311.media.records import attach_photos
from civic311.media.tasks import process_photo
from civic311.service_requests.models import ServiceRequest
from civic311.testing import images

pytestmark = pytest.mark.django_db

# What Pillow reports for the JFIF header every JPEG starts with: not metadata about anyone.
JFIF_ONLY = {"jfif", "jfif_version", "jfif_unit", "jfif_density"}


def processed(request: ServiceRequest, data: bytes, filename: str = "photo.jpg") -> Photo:
    (photo,) = attach_photos(request, [check_photo(data, filename)])
    assert process_photo.call(photo.pk) == PhotoStatus.READY
    photo.refresh_from_db()
    return photo


def read(file: FieldFile) -> bytes:
    with file.open("rb") as opened:
        return opened.read()


def test_a_phone_photo_is_published_without_its_position_or_camera_serial(
    light_out: ServiceRequest,
) -> None:
    photo = processed(light_out, images.phone_photo())
    assert photo.status == PhotoStatus.READY
    assert photo.image.name.startswith("photos/")
    assert photo.thumbnail.name.startswith("photos/")
    for rendition in (photo.image, photo.thumbnail):
        data = read(rendition)
        with Image.open(io.BytesIO(data)) as published:
            assert published.format == "JPEG"
            assert dict(published.getexif()) == {}
            assert set(published.info) <= JFIF_ONLY  # no exif, xmp, comment, icc_profile
        assert images.SERIAL.encode() not in data
        for marker in (b"Exif", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"Acme"):
            assert marker not in data


def test_the_original_keeps_everything_and_stays_private(light_out: ServiceRequest) -> None:
    original = images.phone_photo()
    photo = processed(light_out, original)
    assert photo.original.name.startswith("private/originals/")
    assert read(photo.original) == original


def test_the_photo_is_turned_upright_by_its_exif_orientation(light_out: ServiceRequest) -> None:
    # Stored 300 x 200, red left and blue right, "rotate 90° clockwise to view".
    photo = processed(light_out, images.phone_photo())
    assert (photo.width, photo.height) == (200, 300)
    with Image.open(io.BytesIO(read(photo.image))) as published:
        assert published.size == (200, 300)
        top, bottom = published.getpixel((100, 20)), published.getpixel((100, 280))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60  # red on top
    assert bottom[2] > 200 and bottom[0] < 60  # blue below


def test_a_png_with_transparency_stays_a_png_with_transparency(light_out: ServiceRequest) -> None:
    photo = processed(light_out, images.png_with_alpha(), "sign.png")
    assert photo.content_type == "image/png"
    assert photo.image.name.endswith(".png")
    data = read(photo.image)
    with Image.open(io.BytesIO(data)) as published:
        assert published.format == "PNG"
        assert published.mode == "RGBA"
        assert published.info == {}
        assert dict(published.getexif()) == {}
        assert published.getpixel((5, 5)) == (0, 128, 0, 255)
        assert published.getpixel((60, 5))[3] == 0  # type: ignore[index]
    assert images.SERIAL.encode() not in data


def test_an_opaque_png_is_published_as_a_jpeg(light_out: ServiceRequest) -> None:
    opaque = images.encoded(images.red_left_blue_right().convert("RGBA"), "PNG")
    photo = processed(light_out, opaque, "screenshot.png")
    assert photo.content_type == "image/jpeg"
    assert photo.image.name.endswith(".jpg")


def test_a_large_photo_is_scaled_down_with_a_small_thumbnail(light_out: ServiceRequest) -> None:
    wide = images.jpeg(images.red_left_blue_right((4400, 1100)))
    photo = processed(light_out, wide)
    assert 1900 <= photo.width <= 2048
    assert photo.width / photo.height == pytest.approx(4, rel=0.01)
    with Image.open(io.BytesIO(read(photo.thumbnail))) as thumbnail:
        assert max(thumbnail.size) == 400


def test_a_small_photo_is_not_enlarged(light_out: ServiceRequest) -> None:
    photo = processed(light_out, images.jpeg(images.red_left_blue_right((120, 80))))
    assert (photo.width, photo.height) == (120, 80)


def test_an_animated_gif_is_published_as_its_first_frame(light_out: ServiceRequest) -> None:
    frames = [Image.new("RGB", (40, 40), images.RED), Image.new("RGB", (40, 40), images.BLUE)]
    gif = images.encoded(frames[0], "GIF", save_all=True, append_images=frames[1:])
    photo = processed(light_out, gif, "blink.gif")
    assert photo.content_type == "image/jpeg"
    with Image.open(io.BytesIO(read(photo.image))) as published:
        pixel = published.getpixel((20, 20))
    assert isinstance(pixel, tuple) and pixel[0] > 200 and pixel[2] < 60


def test_a_cmyk_jpeg_is_published_in_rgb(light_out: ServiceRequest) -> None:
    cmyk = images.jpeg(images.red_left_blue_right().convert("CMYK"))
    photo = processed(light_out, cmyk)
    with Image.open(io.BytesIO(read(photo.image))) as published:
        assert published.mode == "RGB"
