"""Turning a resident's photo into the public image and thumbnail (run by the worker).

The output is a new image built from pixels only: no EXIF (GPS, camera serial numbers), no XMP,
no comment, no ICC profile. Colours are converted to sRGB first, so dropping the profile of, say,
a Display P3 phone photo does not wash it out. Decoding and re-encoding a 12-megapixel photo
takes 100 to 300 milliseconds of CPU, which is why this never runs on the request path.
"""

from __future__ import annotations

import contextlib
import functools
import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageFile, ImageOps

from civic311.media.intake import BOMB_ERRORS, DECODE_ERRORS, sniff

MAX_SIDE = 2048
THUMBNAIL_SIDE = 400
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80


_PROFILE_ERRORS: tuple[type[Exception], ...] = (ImageCms.PyCMSError, *DECODE_ERRORS)


class UnreadableImage(Exception):
    """The bytes cannot be turned into a public image; the message says why, for staff."""


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Processed:
    image: Rendition
    thumbnail: Rendition
    content_type: str
    extension: str


@functools.cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB or RGBA pixels in sRGB. A profile that cannot be read or does not fit is ignored: a
    slight colour shift is better than losing the photo."""
    alpha = image.getchannel("A") if image.mode == "RGBA" else None
    rgb = image.convert("RGB") if image.mode == "RGBA" else image
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            # Many cameras write sRGB already; converting it to itself would cost ~80 ms.
            if "srgb" in ImageCms.getProfileDescription(profile).lower():
                converted = None
            else:
                converted = ImageCms.profileToProfile(rgb, profile, _srgb(), outputMode="RGB")
        except _PROFILE_ERRORS:
            converted = None
        if converted is not None:
            rgb = converted
    if rgb.mode != "RGB":  # CMYK without a usable profile
        rgb = rgb.convert("RGB")
    if alpha is not None:
        rgb.putalpha(alpha)
    return rgb


def _decode(source: ImageFile.ImageFile, max_side: int) -> Image.Image:
    """The first frame, upright, at most max_side on its long side, in RGB or RGBA, sRGB."""
    icc = source.info.get("icc_profile")
    has_alpha = source.has_transparency_data
    long_side = max(source.size)
    if source.format in ("JPEG", "MPO") and long_side > max_side:
        # Let the JPEG decoder scale by 1/2, 1/4 or 1/8 while decoding, as long as that leaves
        # (nearly) max_side: a 12-megapixel photo then decodes about four times faster.
        ratio = max_side * 0.95 / long_side
        source.draft(None, (max(1, int(source.width * ratio)), max(1, int(source.height * ratio))))
    frame: Image.Image = source
    if source.mode not in ("RGB", "RGBA", "CMYK"):
        # Palette images must be converted before resizing (they would be resized without any
        # smoothing); a grey or palette profile no longer applies afterwards.
        frame = source.convert("RGBA" if has_alpha else "RGB")
        icc = None
    frame.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    frame.load()
    # An unreadable orientation: publish the photo as stored rather than not at all.
    with contextlib.suppress(*DECODE_ERRORS):
        frame = ImageOps.exif_transpose(frame)
    frame = _to_srgb(frame, icc if isinstance(icc, bytes) else None)
    if frame.mode == "RGBA" and frame.getchannel("A").getextrema() == (255, 255):
        frame = frame.convert("RGB")  # an opaque alpha channel: a JPEG is far smaller
    return frame


def _without_metadata(image: Image.Image) -> Image.Image:
    # A fresh image, so nothing in `info` (EXIF, XMP, ICC, comment, text chunks) can reach the
    # encoder: Pillow's JPEG and PNG writers pick some of those up from the source image.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _encode(image: Image.Image, *, quality: int) -> bytes:
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, "PNG", compress_level=6)
    else:
        image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def process(
    data: bytes,
    *,
    max_pixels: int,
    max_side: int = MAX_SIDE,
    thumbnail_side: int = THUMBNAIL_SIDE,
) -> Processed:
    format = sniff(data)
    if format is None:
        raise UnreadableImage("not a JPEG, PNG, WebP or GIF image")
    try:
        with Image.open(io.BytesIO(data), formats=[format]) as source:
            width, height = source.size
            if width * height > max_pixels:
                raise UnreadableImage(f"{width}x{height} pixels is more than {max_pixels}")
            frame = _decode(source, max_side)
    except BOMB_ERRORS as exc:
        raise UnreadableImage(f"too many pixels: {exc}") from exc
    except DECODE_ERRORS as exc:
        raise UnreadableImage(f"cannot decode the image: {exc}") from exc
    image = _without_metadata(frame)
    thumbnail = image.copy()
    thumbnail.thumbnail((thumbnail_side, thumbnail_side), Image.Resampling.LANCZOS)
    png = image.mode == "RGBA"
    return Processed(
        image=Rendition(_encode(image, quality=JPEG_QUALITY), *image.size),
        thumbnail=Rendition(_encode(thumbnail, quality=THUMBNAIL_QUALITY), *thumbnail.size),
        content_type="image/png" if png else "image/jpeg",
        extension=".png" if png else ".jpg",
    )
