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
from dataclasses import dataclass
from typing import Required, TypedDict, Unpack

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


class Draft(TypedDict, total=False):
    """What a channel sends about a new report (the keywords of preview_submission and
    submit_request). `answers=None` means the answers are not asked yet."""

    service_code: Required[str]
    lat: float | str | None
    long: float | str | None
    address: str
    address_id: str
    description: str
    answers: Mapping[str, Answer] | None
    contact: Contact | None
    media_url: str
    photos: Sequence[tuple[bytes, str]]
    is_test: bool


@dataclass(frozen=True)
class Checked:
    """A draft's values as they are stored: checked, stripped, normalised."""

    service: Service | None
    description: str
    answers: dict[str, Normalised]
    contact: Contact
    media_url: str
    photos: tuple[CheckedPhoto, ...]
    is_test: bool


@dataclass(frozen=True)
class Preview(Checked):
    """What a submission would be, at this moment (nearby requests change: store a preview in
    the request that made it, never later)."""

    problems: tuple[Problem, ...]
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


def _check(draft: Draft, problems: list[Problem]) -> Checked:
    service = check_service(draft["service_code"], problems)
    answers = draft.get("answers")
    normalised: dict[str, Normalised] = {}
    if service is not None and answers is not None:
        normalised, answer_problems = validate_answers(service, answers)
        problems.extend(answer_problems)
    description = check_description(draft.get("description", ""), problems)
    contact = check_contact(draft.get("contact") or Contact(), problems)
    media_url = check_media_url(draft.get("media_url", ""), problems)
    photos = draft.get("photos", ())
    checked_photos, photo_problems = check_photos(photos) if photos else ([], [])
    problems.extend(photo_problems)
    return Checked(
        service=service,
        description=description,
        answers=normalised,
        contact=contact,
        media_url=media_url,
        photos=tuple(checked_photos),
        is_test=draft.get("is_test", False),
    )


def _locate(draft: Draft, problems: list[Problem]) -> tuple[Place | None, tuple[Problem, ...]]:
    """The place, and the problems of a geocoder that is down."""
    try:
        place = resolve_place(
            lat=draft.get("lat"),
            long=draft.get("long"),
            address=(draft.get("address") or "").strip(),
            address_id=(draft.get("address_id") or "").strip(),
            problems=problems,
        )
    except Unavailable as down:
        return None, down.problems
    return place, ()


def preview_submission(*, declined: str = "", **draft: Unpack[Draft]) -> Preview:
    """Every problem with this submission, its place, and what to offer instead of it.

    `answers` left out or None: they are not asked yet (a text dialog offers duplicates first),
    not checked, and the preview cannot be stored. `declined` is the `offer_key` of an offer the
    reporter turned down. Never raises for bad input; reads only."""
    problems: list[Problem] = []
    checked = _check(draft, problems)
    place, unavailable = _locate(draft, problems)
    nearby = tuple(_nearby(checked.service, place, checked.is_test))
    key = offer_key(place) if place is not None else ""
    return Preview(
        **vars(checked),
        problems=(*problems, *unavailable),
        place=place,
        nearby=nearby,
        offer=() if declined and declined == key else nearby,
        offer_key=key,
        unavailable=unavailable,
        answered=draft.get("answers") is not None,
    )
