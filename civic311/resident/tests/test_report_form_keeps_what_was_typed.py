"""A mistake costs nothing: the form comes back with each problem next to its field, everything
typed still there, and the photos kept (a browser never refills a file input)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from civic311.resident import stash
from civic311.service_requests.models import ServiceRequest
from civic311.testing import images

pytestmark = pytest.mark.django_db


def typed(**overrides: Any) -> dict[str, Any]:
    data = {
        "address": "1200 W Madison St",
        "attribute[location]": "crosswalk",
        "attribute[depth_cm]": "deep",  # not a number
        "description": "Wheel-eating hole <b>here</b>",
        "first_name": "Ana",
        "last_name": "",
        "email": "ana@example",  # not an address
        "phone": "",
        "website": "",
    }
    data.update(overrides)
    return data


def kept_tokens(page: str) -> list[str]:
    return re.findall(r'name="kept" value="([^"]+)"', page)


def test_errors_are_shown_by_their_fields_and_nothing_typed_is_lost(
    client: Client, services: Any, addresses: None, media_root: Any
) -> None:
    photo = SimpleUploadedFile("pothole.jpg", images.jpeg(), content_type="image/jpeg")

    response = client.post("/report/pothole/", {**typed(), "photos": [photo]})

    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()
    page = response.content.decode()
    # Each error is tied to its field (aria-describedby) and listed in the summary.
    assert 'id="q-depth_cm-error"' in page
    assert re.search(r'id="q-depth_cm"[^>]*aria-describedby="[^"]*q-depth_cm-error', page, re.S)
    assert "“deep” is not a number." in page
    assert 'id="email-error"' in page and "This is not an email address." in page
    assert re.search(r'name="email" id="id_email" value="ana@example"', page)
    assert 'href="#q-depth_cm"' in page  # the summary links to the field
    # Typed values come back, HTML escaped.
    assert 'value="1200 W Madison St"' in page
    assert 'value="crosswalk" checked' in page
    assert 'value="deep"' in page
    assert 'value="Ana"' in page
    assert "Wheel-eating hole &lt;b&gt;here&lt;/b&gt;</textarea>" in page
    # The place was found and is shown back.
    assert "Found: 1200 W Madison St — Ward 1 · Near West Side" in page
    # The photo is kept for the next try.
    (token,) = kept_tokens(page)
    assert "pothole.jpg (kept)" in page

    fixed = client.post(
        "/report/pothole/",
        typed(**{"attribute[depth_cm]": "12", "email": "ana@example.org", "kept": token}),
    )

    assert fixed.status_code == 302
    sr = ServiceRequest.objects.get()
    assert sr.answers == {"location": "crosswalk", "depth_cm": 12}
    assert sr.photos.count() == 1
    assert stash.load(token) is None  # the kept copy is gone once stored


def test_a_required_question_left_unanswered_is_asked_again(
    client: Client, services: Any, addresses: None
) -> None:
    response = client.post(
        "/report/pothole/", typed(**{"attribute[location]": "", "attribute[depth_cm]": ""})
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please answer: Question location?" in page
    assert 'id="q-location-error"' in page


def test_an_address_that_cannot_be_found_says_so_and_keeps_the_rest(
    client: Client, services: Any, addresses: None
) -> None:
    response = client.post(
        "/report/pothole/", typed(address="99999 N Nowhere Ave", **{"attribute[depth_cm]": "3"})
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="address-error"' in page
    assert "We could not find “99999 N Nowhere Ave”." in page
    assert 'value="99999 N Nowhere Ave"' in page
    assert 'aria-invalid="true"' in page


def test_a_place_outside_the_city_is_refused(client: Client, services: Any) -> None:
    response = client.post(
        "/report/pothole/",
        typed(address="", lat="41.70", long="-87.90", point_for="pin"),
    )
    assert response.status_code == 400
    assert "outside the city" in response.content.decode()


def test_a_file_that_is_not_a_photo_is_refused_by_its_field(
    client: Client, services: Any, addresses: None, media_root: Any
) -> None:
    fake = SimpleUploadedFile("invoice.jpg", b"%PDF-1.7 not a photo", content_type="image/jpeg")
    response = client.post(
        "/report/pothole/", {**typed(**{"attribute[depth_cm]": "3"}), "photos": [fake]}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="photos-error"' in page
    assert "“invoice.jpg” is not a photo we can read." in page
    assert kept_tokens(page) == []


def test_at_most_three_photos(
    client: Client, services: Any, addresses: None, media_root: Any
) -> None:
    photos = [
        SimpleUploadedFile(f"p{n}.jpg", images.jpeg(), content_type="image/jpeg") for n in range(4)
    ]
    response = client.post("/report/pothole/", {**typed(), "photos": photos})
    assert "You can add at most 3 photos" in response.content.decode()


def test_a_photo_too_large_is_refused_before_it_is_read(
    client: Client, services: Any, addresses: None, media_root: Any, settings: Any
) -> None:
    settings.PHOTO_MAX_BYTES = 2048
    big = SimpleUploadedFile("big.jpg", images.jpeg() + b"\0" * 4096, content_type="image/jpeg")
    response = client.post("/report/pothole/", {**typed(), "photos": [big]})
    assert "a photo can be at most 2.0" in response.content.decode()


def test_a_forged_kept_photo_token_is_ignored(
    client: Client, services: Any, addresses: None
) -> None:
    response = client.post(
        "/report/pothole/",
        typed(**{"attribute[depth_cm]": "3", "email": "", "kept": "kept/../../etc/passwd"}),
    )
    assert response.status_code == 302
    assert ServiceRequest.objects.get().photos.count() == 0


def test_photos_kept_for_a_form_never_sent_are_swept(media_root: Any) -> None:
    import os
    import time

    from django.core.management import call_command

    old, new = stash.keep(images.jpeg(), "old.jpg"), stash.keep(images.jpeg(), "new.jpg")
    path = media_root / stash._read_token(old)["path"]
    day_ago = time.time() - 25 * 3600
    os.utime(path, (day_ago, day_ago))

    call_command("sweep_kept_photos")

    assert stash.load(old) is None
    assert stash.load(new) is not None
