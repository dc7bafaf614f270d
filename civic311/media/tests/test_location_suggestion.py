"""The GPS position in a photo can suggest where the problem is, to the reporter only."""

from __future__ import annotations

import pytest
from PIL import ExifTags, Image

from civic311.media.intake import gps_from_exif
from civic311.testing import images


def test_it_reads_the_position_from_a_phone_photo() -> None:
    assert gps_from_exif(images.phone_photo()) == pytest.approx((images.GPS_LAT, images.GPS_LONG))


def test_it_reads_the_position_from_a_png_too() -> None:
    assert gps_from_exif(images.png_with_alpha()) == pytest.approx(
        (images.GPS_LAT, images.GPS_LONG)
    )


def test_southern_and_eastern_positions_are_signed() -> None:
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {1: "S", 2: (33.0, 52.0, 0.0), 3: "E", 4: (151.0, 12.0, 36.0)}
    )
    assert gps_from_exif(images.jpeg(exif=exif)) == pytest.approx((-33.866667, 151.21))


def test_a_photo_without_a_position_suggests_nothing() -> None:
    assert gps_from_exif(images.jpeg()) is None


def test_a_zero_position_from_a_camera_without_a_fix_suggests_nothing() -> None:
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)}
    )
    assert gps_from_exif(images.jpeg(exif=exif)) is None


@pytest.mark.parametrize(
    "data", [b"", b"hello", images.SVG, images.png_header_claiming(50_000, 50_000)]
)
def test_anything_else_suggests_nothing_and_raises_nothing(data: bytes) -> None:
    assert gps_from_exif(data) is None
