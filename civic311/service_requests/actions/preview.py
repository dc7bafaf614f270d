"""One look at a submission before it is stored: every problem with it, where it is, and the
open requests nearby to offer instead ("follow this one"). Every channel asks this, and
submit_request stores what it found, so each rule is written once:

- the checks: service, answers (catalog.answers), description, contact, media URL, photos,
  place (one geocoder call at most);
- duplicates: open requests of the same service within the service's radius, when its policy
  looks for them (suggest or link), never for a developer's test request;
- the offer: those requests, unless the reporter has declined the offer for this place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from civic311.catalog.answers import Answer, Normalised, validate_answers
from civic311.catalog.models import Service
from civic311.choices import DuplicatePolicy
from civic311.lib.errors import Problem, Unavailable
from civic311.media.intake import CheckedPhoto, check_photos
from civic311.service_requests import selectors
from civic311.service_requests.actions.checks import (
    Contact,
    check_contact,
    check_description,
    check_media_url,
    check_service,
)
from civic311.service_requests.actions.places import Place, resolve_place
from civic311.service_requests.models import ServiceRequest

NEARBY_LIMIT = 5


@dataclass(frozen=True)
class Preview:
    """What a submission would be, at this moment (nearby requests change: store a preview in
    the request that made it, never later)."""

    problems: tuple[Problem, ...]
    service: Service | None
    place: Place | None
    # Open requests of the same service nearby, nearest first, by the service's policy.
    nearby: tuple[selectors.Nearby, ...] = ()
    # The ones to show the reporter before storing: `nearby`, unless they declined it here.
    offer: tuple[selectors.Nearby, ...] = ()
    # Names this place's offer; a channel hands it back as `declined` when the reporter says
    # "mine is different" (the offer is made again if the place changes).
    offer_key: str = ""
    # The problems of an outside service that is down (the geocoder): try again later.
    unavailable: tuple[Problem, ...] = ()
    # False when the answers were not given (a channel asking them later): not to be stored.
    answered: bool = True
    # The checked values submit_request stores.
    description: str = ""
    answers: dict[str, Normalised] = field(default_factory=dict)
    contact: Contact = field(default_factory=Contact)
    media_url: str = ""
    photos: tuple[CheckedPhoto, ...] = ()
    is_test: bool = False

    @property
    def looks_nearby(self) -> bool:
        """Whether this submission is checked against open requests nearby at all."""
        return looks_nearby(self.service, is_test=self.is_test)

    @property
    def duplicate_of(self) -> ServiceRequest | None:
        """The open request a service that links duplicates attaches this one to."""
        if self.service is None or self.service.duplicate_policy != DuplicatePolicy.LINK:
            return None
        return self.nearby[0].request if self.nearby else None


def offer_key(place: Place) -> str:
    return f"{place.lat:.5f},{place.long:.5f}"


def looks_nearby(service: Service | None, *, is_test: bool) -> bool:
    """A service's policy says whether it looks for duplicates (suggest or link); a developer's
    test request never does: it must not attach itself to a resident's real one."""
    return service is not None and service.duplicate_policy != DuplicatePolicy.OFF and not is_test


def _nearby(service: Service | None, place: Place | None, is_test: bool) -> list[selectors.Nearby]:
    if service is None or place is None or not looks_nearby(service, is_test=is_test):
        return []
    return selectors.open_requests_nearby(
        lat=place.lat,
        long=place.long,
        radius_m=service.duplicate_radius_m,
        service=service,
        limit=NEARBY_LIMIT,
    )


def preview_submission(
    *,
    service_code: str,
    lat: float | str | None = None,
    long: float | str | None = None,
    address: str = "",
    address_id: str = "",
    description: str = "",
    answers: Mapping[str, Answer] | None = None,
    contact: Contact | None = None,
    media_url: str = "",
    photos: Sequence[tuple[bytes, str]] = (),
    is_test: bool = False,
    declined: str = "",
) -> Preview:
    """Every problem with this submission, its place, and what to offer instead of it.

    `answers=None` means they are not asked yet (a text dialog offers duplicates first): they
    are not checked, and the preview cannot be stored. `declined` is the `offer_key` of an
    offer the reporter turned down. Never raises for bad input; reads only."""
    problems: list[Problem] = []
    service = check_service(service_code, problems)
    description = check_description(description, problems)
    normalised: dict[str, Normalised] = {}
    if service is not None and answers is not None:
        normalised, answer_problems = validate_answers(service, answers)
        problems.extend(answer_problems)
    contact = check_contact(contact or Contact(), problems)
    media_url = check_media_url(media_url, problems)
    checked_photos, photo_problems = check_photos(photos) if photos else ([], [])
    problems.extend(photo_problems)
    unavailable: tuple[Problem, ...] = ()
    try:
        place = resolve_place(
            lat=lat,
            long=long,
            address=(address or "").strip(),
            address_id=(address_id or "").strip(),
            problems=problems,
        )
    except Unavailable as down:
        place, unavailable = None, down.problems
    nearby = tuple(_nearby(service, place, is_test))
    key = offer_key(place) if place is not None else ""
    return Preview(
        problems=(*problems, *unavailable),
        service=service,
        place=place,
        nearby=nearby,
        offer=() if declined and declined == key else nearby,
        offer_key=key,
        unavailable=unavailable,
        answered=answers is not None,
        description=description,
        answers=normalised,
        contact=contact,
        media_url=media_url,
        photos=tuple(checked_photos),
        is_test=is_test,
    )
