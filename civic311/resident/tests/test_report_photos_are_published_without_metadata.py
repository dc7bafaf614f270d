"""A photo sent with the report form is published without where it was taken or which camera
took it: the same media pipeline as the API's photos."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

from civic311.choices import PhotoStatus
from civic311.media.tasks import process_photo
from civic311.service_requests.models import ServiceRequest
from civic311.testing import images

pytestmark = pytest.mark.django_db


def test_gps_and_camera_serial_are_gone_from_the_published_photo(
    client: Client, services: Any, addresses: None, media_root: Any
) -> None:
    sent = images.phone_photo()
    with Image.open(io.BytesIO(sent)) as original:  # what the phone wrote
        exif = original.getexif()
        assert exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] == images.SERIAL

    response = client.post(
        "/report/street_light/",
        {
            "address": "1200 W Madison St",
            "photos": [SimpleUploadedFile("IMG_0001.jpg", sent, content_type="image/jpeg")],
        },
    )
    assert response.status_code == 302
    (photo,) = ServiceRequest.objects.get().photos.all()
    assert process_photo.call(photo.pk) == PhotoStatus.READY  # the worker's job
    photo.refresh_from_db()

    for rendition in (photo.image, photo.thumbnail):
        with rendition.open("rb") as opened:
            data = opened.read()
        with Image.open(io.BytesIO(data)) as published:
            exif = published.getexif()
            assert dict(exif) == {}
            assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
            assert "exif" not in published.info
        assert images.SERIAL.encode() not in data
        assert b"GPS" not in data

    tracking = client.get(f"/track/{photo.request.tracking_number}").content.decode()
    assert photo.thumbnail.url in tracking
    assert photo.original.name not in tracking
