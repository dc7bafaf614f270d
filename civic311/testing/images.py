"""Image files for the tests, built here with Pillow: nothing is downloaded or stored."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

SERIAL = "CAM-SERIAL-7731-SECRET"
# 41°52'30" N, 87°37'48" W: in the test city.
GPS_LAT, GPS_LONG = 41.875, -87.63
RED, BLUE = (255, 0, 0), (0, 0, 255)


def exif_with_secrets(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: where the photo was taken and which camera took it."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Acme"
    exif[ExifTags.Base.Model] = "Phone 9"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL  # tag 0xA431
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (41.0, 52.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "W",
            ExifTags.GPS.GPSLongitude: (87.0, 37.0, 48.0),
        }
    )
    return exif


def red_left_blue_right(size: tuple[int, int] = (300, 200)) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    return image


def jpeg(
    image: Image.Image | None = None,
    *,
    exif: Image.Exif | None = None,
    secrets: bool = False,
    quality: int = 90,
) -> bytes:
    image = image or red_left_blue_right()
    params: dict[str, object] = {"quality": quality}
    if exif is not None:
        params["exif"] = exif
    if secrets:
        # Every other place a serial number or location can hide in a JPEG.
        params["comment"] = f"taken by {SERIAL}".encode()
        params["xmp"] = (
            f"<x:xmpmeta><tiff:BodySerialNumber>{SERIAL}</tiff:BodySerialNumber>".encode()
        )
        params["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **params)
    return buffer.getvalue()


def phone_photo() -> bytes:
    """Stored sideways with orientation 6 ("rotate 90° clockwise to view"), GPS and a serial."""
    return jpeg(exif=exif_with_secrets(orientation=6), secrets=True)


def png_with_alpha(size: tuple[int, int] = (64, 48)) -> bytes:
    """Left half opaque green, right half fully transparent; EXIF GPS and a text chunk too."""
    image = Image.new("RGBA", size, (0, 128, 0, 255))
    image.paste((0, 0, 0, 0), (size[0] // 2, 0, size[0], size[1]))
    info = PngInfo()
    info.add_text("Comment", f"serial {SERIAL}")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info, exif=exif_with_secrets())
    return buffer.getvalue()


def encoded(image: Image.Image, format: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **params)
    return buffer.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_claiming(width: int, height: int) -> bytes:
    """A well-formed, tiny PNG whose header claims width x height pixels: a decompression bomb
    as far as anything that trusts the header and allocates is concerned."""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert("hi")</script><rect width="10" height="10"/></svg>'
)
