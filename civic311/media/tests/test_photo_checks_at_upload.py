"""At upload, a photo's type comes from its bytes and its size from its header (cheap checks)."""

from __future__ import annotations

import tracemalloc

import pytest
from PIL import Image
from pytest_django.fixtures import Settings

from civic311.lib.errors import InvalidInput
from civic311.media.intake import check_photo, check_photos
from civic311.testing import images


def _code(data: bytes, filename: str = "photo.jpg") -> str:
    with pytest.raises(InvalidInput) as raised:
        check_photo(data, filename)
    (problem,) = raised.value.problems
    assert problem.field == "media"
    return problem.code


def test_it_accepts_a_jpeg_and_reads_its_size_from_the_header() -> None:
    checked = check_photo(images.phone_photo(), "IMG_0001.JPG")
    assert (checked.content_type, checked.width, checked.height) == ("image/jpeg", 300, 200)
    assert checked.filename == "IMG_0001.JPG"


@pytest.mark.parametrize(
    ("format", "content_type", "params"),
    [
        ("PNG", "image/png", {}),
        ("WEBP", "image/webp", {"quality": 80}),
        ("GIF", "image/gif", {}),
    ],
)
def test_it_accepts_png_webp_and_gif(
    format: str, content_type: str, params: dict[str, object]
) -> None:
    data = images.encoded(images.red_left_blue_right(), format, **params)
    assert check_photo(data, "anything.bin").content_type == content_type


def test_the_type_comes_from_the_bytes_not_the_name() -> None:
    png = images.encoded(images.red_left_blue_right(), "PNG")
    assert check_photo(png, "holiday.jpg").content_type == "image/png"


def test_a_text_file_renamed_jpg_is_not_an_image() -> None:
    assert _code(b"Dear city, please fix the light.\n" * 10, "letter.jpg") == "media.not_an_image"


def test_an_svg_is_refused_even_though_it_is_a_picture() -> None:
    # It can carry scripts; a browser opening it from our domain would run them.
    assert _code(images.SVG, "drawing.svg") == "media.not_an_image"


def test_heic_is_refused_while_no_pillow_plugin_can_read_it() -> None:
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100
    assert _code(heic, "IMG_0002.HEIC") == "media.not_an_image"


def test_an_empty_file_is_not_an_image() -> None:
    assert _code(b"", "empty.jpg") == "media.not_an_image"


def test_a_truncated_jpeg_is_corrupt() -> None:
    photo = images.jpeg(images.red_left_blue_right((600, 400)), exif=images.exif_with_secrets())
    assert _code(photo[: len(photo) * 2 // 3]) == "media.corrupt"


def test_a_jpeg_cut_off_inside_its_header_is_corrupt() -> None:
    assert _code(images.phone_photo()[:40]) == "media.corrupt"


def test_a_png_with_a_damaged_chunk_is_corrupt() -> None:
    png = bytearray(images.encoded(images.red_left_blue_right(), "PNG"))
    png[60] ^= 0xFF  # inside the pixel data: its checksum no longer matches
    assert _code(bytes(png), "photo.png") == "media.corrupt"


def test_a_truncated_webp_is_corrupt() -> None:
    webp = images.encoded(images.red_left_blue_right(), "WEBP")
    assert _code(webp[: len(webp) // 2], "photo.webp") == "media.corrupt"


def test_a_photo_over_the_byte_limit_is_too_large(settings: Settings) -> None:
    settings.PHOTO_MAX_BYTES = 1024
    with pytest.raises(InvalidInput) as raised:
        check_photo(images.jpeg(images.red_left_blue_right((400, 400)), quality=100), "big.jpg")
    (problem,) = raised.value.problems
    assert problem.code == "media.too_large"
    assert "big.jpg" in problem.message


def test_a_photo_over_the_pixel_limit_has_too_many_pixels(settings: Settings) -> None:
    settings.PHOTO_MAX_PIXELS = 300 * 200 - 1
    assert _code(images.phone_photo()) == "media.too_many_pixels"


@pytest.mark.parametrize("side", [50_000, 10_000])
def test_a_decompression_bomb_is_refused_without_decoding_it(side: int) -> None:
    """50000² is past Pillow's own hard limit (it raises); 10000² is past its warning limit
    (a warning, an error under `filterwarnings = error`). Neither escapes, nothing is decoded."""
    bomb = images.png_header_claiming(side, side)
    images_before = Image.core.get_stats()["new_count"]
    tracemalloc.start()
    try:
        code = _code(bomb, "bomb.png")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == "media.too_many_pixels"
    assert Image.core.get_stats()["new_count"] == images_before  # no pixel buffer allocated
    assert peak < 1_000_000


def test_checking_many_photos_reports_every_problem_at_once(settings: Settings) -> None:
    settings.PHOTO_MAX_PER_REQUEST = 3
    good = images.phone_photo()
    files = [(good, "1.jpg"), (b"not a photo", "2.jpg"), (good, "3.jpg"), (images.SVG, "4.svg")]
    checked, problems = check_photos(files)
    assert [photo.filename for photo in checked] == ["1.jpg", "3.jpg"]
    assert [problem.code for problem in problems] == [
        "media.too_many",
        "media.not_an_image",
        "media.not_an_image",
    ]
    assert "2.jpg" in problems[1].message and "4.svg" in problems[2].message


def test_up_to_the_limit_of_photos_is_fine(settings: Settings) -> None:
    settings.PHOTO_MAX_PER_REQUEST = 3
    checked, problems = check_photos([(images.phone_photo(), f"{i}.jpg") for i in range(3)])
    assert len(checked) == 3
    assert problems == []


def test_a_path_in_the_file_name_is_not_repeated_back() -> None:
    checked = check_photo(images.phone_photo(), "C:\\Users\\maria\\Pictures\\pothole.jpg")
    assert checked.filename == "pothole.jpg"
