"""Storing a new service request: what preview_submission found, routed, in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Unpack

from django.db import transaction
from django.utils.translation import gettext as _

from civic311.choices import Channel, Status, TimelineType
from civic311.departments.routing import Route, expected_completion, route
from civic311.geo import cells
from civic311.lib import clock
from civic311.lib.errors import InvalidInput, NotPermitted, Problem, Unavailable
from civic311.media.records import attach_photos
from civic311.service_requests import permissions, selectors, tracking
from civic311.service_requests.actions.actor import Actor
from civic311.service_requests.actions.places import MAX_ADDRESS
from civic311.service_requests.actions.preview import Draft, Preview, preview_submission
from civic311.service_requests.actions.records import record
from civic311.service_requests.models import ReporterContact, ServiceRequest


@dataclass(frozen=True)
class Submission:
    request: ServiceRequest
    # Set when the service links duplicates: the open request this one was attached to.
    duplicate_of: ServiceRequest | None = None
    # Open requests of the same service nearby, for channels that offer "follow this instead".
    nearby: list[selectors.Nearby] = field(default_factory=list)


def submit_request(
    *,
    channel: str,
    actor: Actor,
    source: str = "",
    within: Callable[[Submission], None] | None = None,
    **draft: Unpack[Draft],
) -> Submission:
    """Check, locate, de-duplicate, route and store a new service request: what the channel
    sends (`draft`: the keywords of preview_submission) previewed, then stored.

    `within` runs inside the submission's transaction, for records that must commit or roll
    back with the request (an API idempotency key, a batch token). `is_test` marks a request
    made with a developer's test key.

    Raises InvalidInput with every problem found (nothing is stored), or Unavailable when an
    outside geocoder fails.
    """
    _check_submitter(channel, actor)
    # No answers sent is answers given, none: a required question is then missing.
    draft["answers"] = draft.get("answers") or {}
    preview = preview_submission(**draft)
    return _store(preview, channel=channel, actor=actor, source=source, within=within)


def submit_previewed(
    *,
    preview: Preview,
    channel: str,
    actor: Actor,
    source: str = "",
    within: Callable[[Submission], None] | None = None,
) -> Submission:
    """Store a submission a channel has just previewed (in the same request: the checks and
    the place are not done again). Raises as submit_request does."""
    _check_submitter(channel, actor)
    return _store(preview, channel=channel, actor=actor, source=source, within=within)


def _check_submitter(channel: str, actor: Actor) -> None:
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if actor.user_id is not None and not permissions.may_submit(actor.user):
        raise NotPermitted(
            [Problem("permission.submit", "channel", _("Only city staff may do this."))]
        )


def _check_ward(actor: Actor, ward: str) -> None:
    if actor.user_id is not None and not permissions.may_submit_in_ward(actor.user, ward):
        raise NotPermitted(
            [
                Problem(
                    "permission.submit_ward",
                    "address_string",
                    _("A ward office takes requests in its own ward; this is in ward %(ward)s.")
                    % {"ward": ward or "?"},
                )
            ]
        )


def _store(
    preview: Preview,
    *,
    channel: str,
    actor: Actor,
    source: str,
    within: Callable[[Submission], None] | None,
) -> Submission:
    if preview.unavailable:
        raise Unavailable(preview.unavailable)
    if preview.problems:
        raise InvalidInput(preview.problems)
    if not preview.answered:
        raise ValueError("preview the answers before storing")
    service, place = preview.service, preview.place
    assert service is not None and place is not None
    _check_ward(actor, place.location.ward)
    routing = route(service=service, location=place.location)
    # Duplicates were looked for by the preview, before this write transaction, which SQLite
    # runs one at a time: keeping reads out of it is what lets submissions follow each other
    # quickly. Two reports of the same pothole in the same few milliseconds may both stand;
    # staff merge those.
    parent = preview.duplicate_of
    with transaction.atomic():
        when = clock.now()
        request = _insert(preview, routing, parent, channel=channel, source=source, when=when)
        if not preview.contact.is_empty():
            ReporterContact.objects.create(request=request, **preview.contact.__dict__)
        if preview.photos:
            attach_photos(request, preview.photos)
        record(
            request,
            TimelineType.OPENED,
            actor,
            at=when,
            data={
                "channel": channel,
                "department": routing.department.code,
                "possible_duplicates": [n.request.tracking_number for n in preview.nearby],
            },
        )
        if parent is not None:
            _link_duplicate(request, parent, actor, at=when)
        submission = Submission(request=request, duplicate_of=parent, nearby=list(preview.nearby))
        if within is not None:
            within(submission)
    return submission


def _insert(
    preview: Preview,
    routing: Route,
    parent: ServiceRequest | None,
    *,
    channel: str,
    source: str,
    when: datetime,
) -> ServiceRequest:
    service, place = preview.service, preview.place
    assert service is not None and place is not None
    h3_r9, h3_r7 = cells.cells_for(place.lat, place.long)
    return ServiceRequest.objects.create(
        tracking_number=tracking.allocate(when),
        service=service,
        status=Status.CLOSED_DUPLICATE if parent else Status.OPEN,
        department=routing.department,
        priority=routing.priority,
        channel=channel,
        source=source[:100],
        description=preview.description,
        answers=preview.answers,
        media_url=preview.media_url,
        lat=place.lat,
        long=place.long,
        address=place.address[:MAX_ADDRESS],
        address_id=place.address_id[:64],
        zipcode=place.zipcode,
        ward=place.location.ward,
        community_area=place.location.community_area,
        h3_r9=h3_r9,
        h3_r7=h3_r7,
        requested_at=when,
        updated_at=when,
        expected_at=None if parent else expected_completion(service=service, requested_at=when),
        closed_at=when if parent else None,
        parent=parent,
        is_test=preview.is_test,
    )


def _link_duplicate(
    child: ServiceRequest, parent: ServiceRequest, actor: Actor, *, at: datetime
) -> None:
    record(child, TimelineType.MERGED, actor, at=at, data={"parent": parent.tracking_number})
    record(
        parent,
        TimelineType.DUPLICATE_ATTACHED,
        actor,
        at=at,
        data={"duplicate": child.tracking_number},
    )
