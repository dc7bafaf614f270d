"""preview_submission: every channel's one look at a report before it is stored. It finds every
problem at once, where the report is, and the open requests nearby to offer; submit_request
stores what it found."""

from __future__ import annotations

from typing import Any

import pytest

from civic311.choices import Channel, Status
from civic311.service_requests.actions import (
    Actor,
    Contact,
    Preview,
    close,
    preview_submission,
    submit_previewed,
    submit_request,
)
from civic311.service_requests.models import ServiceRequest
from civic311.testing import Addresses, Places, Services, images

pytestmark = pytest.mark.django_db

# About 11 m and 111 m north of a point, in degrees of latitude.
NEAR, FAR = 0.0001, 0.001


@pytest.fixture
def media_root(settings: Any, tmp_path: Any) -> Any:
    """Photos are stored under the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def codes(preview: Preview) -> set[str]:
    return {p.code for p in preview.problems}


def stored(service_code: str, places: Places, **draft: Any) -> ServiceRequest:
    """A request stored the way a channel that shows the preview first stores it."""
    lat, long = draft.pop("where", places.ward1_near_west)
    preview = preview_submission(service_code=service_code, lat=lat, long=long, **draft)
    return submit_previewed(preview=preview, channel=Channel.WEB, actor=Actor.resident()).request


def preview_near(service_code: str, places: Places, **extra: Any) -> Preview:
    lat, long = places.ward1_near_west
    return preview_submission(service_code=service_code, lat=lat + NEAR, long=long, **extra)


# --- Every problem, at once ---------------------------------------------------------------------


def test_a_good_submission_has_no_problem_and_its_place(services: Services, places: Places) -> None:
    preview = preview_near("pothole", places, answers={"location": "street", "depth_cm": "12"})

    assert preview.problems == ()
    assert preview.service == services.pothole
    assert preview.place is not None
    assert (preview.place.location.ward, preview.place.location.community_area) == ("1", "28")
    assert preview.answers == {"location": "street", "depth_cm": 12}
    assert not ServiceRequest.objects.exists()  # a preview stores nothing


def test_an_unknown_or_missing_service_is_a_problem(services: Services, places: Places) -> None:
    assert "service_code.unknown" in codes(preview_near("no_such_thing", places, answers={}))
    assert "service_code.missing" in codes(preview_near("", places, answers={}))


def test_every_kind_of_problem_is_found_in_one_preview(
    services: Services, places: Places, media_root: Any
) -> None:
    preview = preview_submission(
        service_code="pothole",
        lat="north",
        long=-87.68,
        description="x" * 4001,
        answers={"depth_cm": "deep"},
        contact=Contact(email="not-an-address", phone="call me"),
        media_url="not a url",
        photos=[(b"%PDF-1.7", "invoice.jpg")],
    )

    assert codes(preview) == {
        "attribute.required",
        "attribute.not_a_number",
        "contact.email_invalid",
        "contact.phone_invalid",
        "description.too_long",
        "location.not_a_number",
        "media_url.invalid",
        "media.not_an_image",
    }
    assert preview.place is None
    fields = {p.field for p in preview.problems}
    assert {"attribute[location]", "attribute[depth_cm]", "email", "phone", "lat"} <= fields


def test_a_place_outside_the_city_or_not_found_is_a_problem(
    services: Services, places: Places, addresses: Addresses
) -> None:
    lat, long = places.outside_city
    outside = preview_submission(service_code="street_light", lat=lat, long=long, answers={})
    assert codes(outside) == {"location.outside_city"}
    lost = preview_submission(service_code="street_light", address="1 Nowhere Lane", answers={})
    assert codes(lost) == {"address.not_found"}
    nowhere = preview_submission(service_code="street_light", answers={})
    assert codes(nowhere) == {"location.missing"}


def test_an_address_is_found_once_and_kept_as_typed(
    services: Services, addresses: Addresses
) -> None:
    preview = preview_submission(service_code="street_light", address=addresses.ward2, answers={})

    assert preview.problems == ()
    assert preview.place is not None
    assert preview.place.address == addresses.ward2
    assert preview.place.location.ward == "2"


def test_a_geocoder_that_is_down_is_a_problem_to_try_again_later(
    services: Services, settings: Any
) -> None:
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_URL = "http://127.0.0.1:9"  # nothing listens: connection refused
    settings.GEOCODER_TIMEOUT_SECONDS = 2

    preview = preview_submission(
        service_code="pothole", address="1200 W Madison St", answers={"depth_cm": "deep"}
    )

    assert [p.code for p in preview.unavailable] == ["geocoder.unavailable"]
    assert {"geocoder.unavailable", "attribute.not_a_number"} <= codes(preview)


def test_answers_not_asked_yet_are_not_checked_and_cannot_be_stored(
    services: Services, places: Places
) -> None:
    preview = preview_near("pothole", places)  # the location question is required

    assert preview.problems == ()
    assert not preview.answered
    with pytest.raises(ValueError, match="preview the answers"):
        submit_previewed(preview=preview, channel=Channel.SMS, actor=Actor.resident())


# --- Nearby requests, by the service's duplicate policy -----------------------------------------


def test_a_service_that_links_duplicates_offers_the_open_one_and_would_link_to_it(
    services: Services, places: Places
) -> None:
    earlier = stored("pothole", places, answers={"location": "street"})

    preview = preview_near("pothole", places, answers={"location": "alley"})

    assert [n.request for n in preview.offer] == [earlier]
    assert preview.nearby == preview.offer
    assert preview.duplicate_of == earlier
    assert 5 < preview.offer[0].distance_m < 20


def test_a_service_that_suggests_offers_the_open_one_and_would_not_link(
    services: Services, places: Places
) -> None:
    earlier = stored("graffiti", places, answers={"surface": "brick"})

    preview = preview_near("graffiti", places, answers={"surface": "metal"})

    assert [n.request for n in preview.offer] == [earlier]
    assert preview.duplicate_of is None


def test_a_service_without_a_policy_never_looks(services: Services, places: Places) -> None:
    stored("street_light", places, answers={})

    preview = preview_near("street_light", places, answers={})

    assert not preview.looks_nearby
    assert preview.nearby == () and preview.offer == ()


def test_closed_requests_far_ones_and_other_services_are_not_offered(
    services: Services, places: Places
) -> None:
    closed = stored("pothole", places, answers={"location": "street"})
    close(request=closed, status=Status.CLOSED_FIXED, actor=Actor.system())
    stored("graffiti", places, answers={"surface": "brick"})
    lat, long = places.ward1_near_west
    stored_far = stored("pothole", places, where=(lat + FAR, long), answers={"location": "street"})

    preview = preview_near("pothole", places, answers={"location": "street"})

    assert stored_far.status == Status.OPEN
    assert preview.offer == ()


def test_an_offer_the_reporter_declined_here_is_not_made_again_but_still_links(
    services: Services, places: Places
) -> None:
    earlier = stored("pothole", places, answers={"location": "street"})
    first = preview_near("pothole", places, answers={"location": "alley"})

    again = preview_near("pothole", places, answers={"location": "alley"}, declined=first.offer_key)

    assert first.offer and first.offer_key
    assert again.offer == ()
    assert [n.request for n in again.nearby] == [earlier]
    assert again.duplicate_of == earlier


def test_a_declined_offer_is_made_again_for_another_place(
    services: Services, places: Places
) -> None:
    earlier = stored("pothole", places, answers={"location": "street"})
    elsewhere = preview_submission(
        service_code="pothole",
        lat=places.ward1_near_west[0] - NEAR,
        long=places.ward1_near_west[1],
        answers={"location": "alley"},
    )

    preview = preview_near(
        "pothole", places, answers={"location": "alley"}, declined=elsewhere.offer_key
    )

    assert [n.request for n in preview.offer] == [earlier]


def test_a_test_request_is_never_offered_nor_linked(services: Services, places: Places) -> None:
    stored("pothole", places, answers={"location": "street"})

    preview = preview_near("pothole", places, answers={"location": "street"}, is_test=True)

    assert not preview.looks_nearby
    assert preview.nearby == () and preview.offer == ()
    assert preview.duplicate_of is None


# --- Storing what was previewed -----------------------------------------------------------------


def test_a_previewed_submission_is_stored_without_looking_again(
    services: Services, addresses: Addresses, media_root: Any, settings: Any
) -> None:
    preview = preview_submission(
        service_code="pothole",
        address=addresses.ward1,
        answers={"location": "street"},
        contact=Contact(email="Rosa@Example.org"),
        photos=[(images.jpeg(), "pothole.jpg")],
    )
    # From here on any address look-up fails: storing must not make one.
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_URL = "http://127.0.0.1:9"

    request = submit_previewed(
        preview=preview, channel=Channel.WEB, actor=Actor.resident(), source="web"
    ).request

    assert request.address == addresses.ward1 and request.ward == "1"
    assert request.contact.email == "rosa@example.org"
    assert request.photos.count() == 1


def test_submit_request_is_the_preview_then_the_store(services: Services, places: Places) -> None:
    earlier = stored("pothole", places, answers={"location": "street"})
    lat, long = places.ward1_near_west

    submission = submit_request(
        service_code="pothole",
        channel=Channel.API,
        actor=Actor.app("Chicago Works"),
        lat=lat + NEAR,
        long=long,
        answers={"location": "alley"},
    )

    assert submission.duplicate_of == earlier
    assert [n.request for n in submission.nearby] == [earlier]


def test_a_preview_with_problems_is_refused_when_stored(services: Services, places: Places) -> None:
    from civic311.lib.errors import InvalidInput

    preview = preview_near("pothole", places, answers={})

    with pytest.raises(InvalidInput) as refused:
        submit_previewed(preview=preview, channel=Channel.WEB, actor=Actor.resident())
    assert {p.code for p in refused.value.problems} == {"attribute.required"}
    assert not ServiceRequest.objects.exists()
