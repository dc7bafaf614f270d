"""Checks on a photo at upload, on the request path, so they must stay cheap.

What a photo is comes from its first bytes, never from its name or the declared content type.
Its dimensions come from the header: pixel data is not decoded here (the worker does that, see
media/tasks.py), so a small file claiming billions of pixels costs nothing.
"""

from __future__ import annotations

import io
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, UnidentifiedImageError

from civic311.lib.errors import InvalidInput, Problem

CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",  # a JPEG with extra frames (stereo, depth maps); the first is used
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "HEIF": "image/heic",
}
# Major brands of HEIC/HEIF files (not AVIF's, which Pillow also reads but is not accepted).
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# What Pillow raises on a file that is cut short or malformed, depending on the format plugin.
DECODE_ERRORS: tuple[type[Exception], ...] = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    IndexError,
    KeyError,
    TypeError,
)
# Pillow refuses images above its own limit with an error (twice the limit) or a warning, which
# the test settings (and `-W error`) turn into an exception. Either means: too many pixels.
BOMB_ERRORS: tuple[type[Exception], ...] = (
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)
_UNREADABLE = (*BOMB_ERRORS, *DECODE_ERRORS)


@dataclass(frozen=True)
class CheckedPhoto:
    data: bytes
    content_type: str
    width: int
    height: int
    filename: str


def sniff(data: bytes) -> str | None:
    """The Pillow format the bytes are, among the accepted ones; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS and _heif_readable():
        return "HEIF"
    return None


def _heif_readable() -> bool:
    # Only with a plugin such as pillow-heif registered; Pillow itself does not read HEIC.
    Image.init()
    return "HEIF" in Image.OPEN


def _jpeg_scan_start(data: bytes) -> int | None:
    """Where the main image's compressed data starts: after the header segments (EXIF and its
    embedded thumbnail included), at the first start-of-scan marker."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
        elif marker == 0xDA:
            return pos
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            pos += 2
        else:
            pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return None


def _is_complete(data: bytes, format: str) -> bool:
    """Catches the usual damage, a file cut short, without decoding it. Pillow's verify() checks
    PNG chunk checksums but does nothing for JPEG and WebP."""
    if format in ("JPEG", "MPO"):
        scan = _jpeg_scan_start(data)
        return scan is not None and data.rfind(b"\xff\xd9") > scan
    if format == "WEBP":
        return len(data) >= int.from_bytes(data[4:8], "little") + 8
    return True


def _name(filename: str) -> str:
    return PurePath(filename.replace("\\", "/")).name[:80] or _("The photo")


def _million(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


def _refused(code: str, field: str, message: str) -> InvalidInput:
    return InvalidInput([Problem(code, field, message)])


def check_photo(data: bytes, filename: str, *, field: str = "media") -> CheckedPhoto:
    """The photo, if it can be accepted; otherwise InvalidInput with one problem saying why."""
    name = _name(filename)
    limit = settings.PHOTO_MAX_BYTES
    if len(data) > limit:
        raise _refused(
            "media.too_large",
            field,
            _("“%(name)s” is %(size)s; a photo can be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(len(data)), "limit": filesizeformat(limit)},
        )
    format = sniff(data)
    if format is None:
        raise _refused(
            "media.not_an_image",
            field,
            _("“%(name)s” is not a photo we can read. Send a JPEG, PNG, WebP or GIF image.")
            % {"name": name},
        )
    max_pixels = settings.PHOTO_MAX_PIXELS
    too_many_pixels = _refused(
        "media.too_many_pixels",
        field,
        _("“%(name)s” has too many pixels; a photo can have at most %(limit)s million.")
        % {"name": name, "limit": _million(max_pixels)},
    )
    corrupt = _refused(
        "media.corrupt",
        field,
        _("“%(name)s” is damaged or incomplete. Please send it again.") % {"name": name},
    )
    try:
        with Image.open(io.BytesIO(data), formats=[format]) as image:
            width, height = image.size
            format = image.format or format
            if width * height > max_pixels:
                raise too_many_pixels
            image.verify()
    except BOMB_ERRORS:
        raise too_many_pixels from None
    except DECODE_ERRORS:
        raise corrupt from None
    if width < 1 or height < 1 or not _is_complete(data, format):
        raise corrupt
    return CheckedPhoto(
        data=data, content_type=CONTENT_TYPES[format], width=width, height=height, filename=name
    )


def check_photos(
    files: Sequence[tuple[bytes, str]], *, field: str = "media"
) -> tuple[list[CheckedPhoto], list[Problem]]:
    """Every (data, filename) checked; every problem found, so the resident fixes all at once."""
    checked: list[CheckedPhoto] = []
    problems: list[Problem] = []
    limit = settings.PHOTO_MAX_PER_REQUEST
    if len(files) > limit:
        problems.append(
            Problem(
                "media.too_many",
                field,
                _("Send at most %(limit)d photos; you sent %(count)d.")
                % {"limit": limit, "count": len(files)},
            )
        )
    for data, filename in files:
        try:
            checked.append(check_photo(data, filename, field=field))
        except InvalidInput as exc:
            problems.extend(exc.problems)
    return checked, problems


# --- Location suggestion ------------------------------------------------------------------------


def _degrees(value: Any, ref: Any, negative: str) -> float | None:
    try:
        d, m, s = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if isinstance(ref, str) and ref.strip("\x00 ").upper() == negative:
        degrees = -degrees
    return degrees if math.isfinite(degrees) else None


def gps_from_exif(data: bytes) -> tuple[float, float] | None:
    """(lat, long) from the photo's EXIF, to *suggest* a location to the reporter while they fill
    in the form. Never stored, never published: the public image is written without it."""
    format = sniff(data)
    if format is None:
        return None
    try:
        with Image.open(io.BytesIO(data), formats=[format]) as image:
            # From the header only: getexif() would decode a PNG whose EXIF follows the pixels.
            raw = image.info.get("exif")
            if not isinstance(raw, bytes) or not raw:
                return None
            exif = Image.Exif()
            exif.load(raw)
            gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except _UNREADABLE:
        return None
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "S")
    long = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "W")
    if lat is None or long is None or not (-90 <= lat <= 90 and -180 <= long <= 180):
        return None
    if lat == 0 and long == 0:  # cameras without a fix write zeros
        return None
    return round(lat, 6), round(long, 6)
