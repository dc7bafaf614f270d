"""One inbound text message, start to end: idempotency, timeout, the dialog, the writes.

Everything that talks to the outside (the geocoder inside the dialog, the provider for MMS
photos) happens first. Then one short transaction stores the inbound message (unique on the
provider's id), the replies, the phone's new dialog state and the effect: a new request
through actions.submit_request (the records ride in its transaction via `within`), a follow,
an opt-out. A provider that posts the same message again gets the stored replies back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from civic311.choices import Channel
from civic311.lib.errors import DomainError
from civic311.messaging import segments
from civic311.messaging.models import DialogState, Direction, Message, Phone
from civic311.messaging.provider import Inbound, SendError, get_provider
from civic311.notifications import subscriptions
from civic311.service_requests import selectors
from civic311.service_requests.actions import Actor, Contact, Submission, submit_request
from civic311.service_requests.models import ServiceRequest
from civic311.sms import dialog, report
from civic311.sms.steps import Follow, Snapshot, Step, Submit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    replies: list[str]
    request: ServiceRequest | None = None
    repeated: bool = False  # the provider sent this message before


def _replayed(sid: str) -> Outcome | None:
    earlier = list(Message.objects.filter(provider_sid=sid).values_list("id", flat=True)[:1])
    if not earlier:
        return None
    replies = (
        Message.objects.filter(reply_to=earlier[0]).order_by("id").values_list("body", flat=True)
    )
    return Outcome(replies=list(replies), repeated=True)


def _snapshot(phone: Phone) -> Snapshot:
    return Snapshot(
        number=phone.number,
        state=phone.state,
        data=dict(phone.data or {}),
        language=phone.language,
        opted_out=phone.opted_out_at is not None,
    )


def _timed_out(phone: Phone) -> bool:
    limit = timedelta(minutes=settings.SMS_DIALOG_TIMEOUT_MINUTES)
    return phone.state != DialogState.IDLE and timezone.now() - phone.state_at > limit


def receive(inbound: Inbound) -> Outcome:
    """Handle one message; returns the replies to send back (none for an opted-out number)."""
    done = _replayed(inbound.sid)
    if done is not None:
        return done
    found = list(Phone.objects.filter(number=inbound.sender)[:1])
    phone = found[0] if found else Phone(number=inbound.sender)
    snapshot = _snapshot(phone)
    before: list[str] = []
    if _timed_out(phone):
        if not snapshot.opted_out:
            before.append(dialog.timed_out(snapshot))
        snapshot = Snapshot(
            number=snapshot.number, language=snapshot.language, opted_out=snapshot.opted_out
        )
    step = dialog.handle(snapshot, inbound.body, inbound.media, now=timezone.now())
    try:
        if isinstance(step.effect, Submit):
            return _submit(phone, inbound, step, before)
        return _store(phone, inbound, step, before + step.replies)
    except IntegrityError:
        # The same message, posted again while this one was being handled.
        done = _replayed(inbound.sid)
        if done is None:
            raise
        return done


def _fit(replies: Sequence[str]) -> list[str]:
    return [segments.fit(text, settings.SMS_MAX_SEGMENTS) for text in replies if text]


def _store(
    phone: Phone,
    inbound: Inbound,
    step: Step,
    replies: Sequence[str],
    *,
    request: ServiceRequest | None = None,
    extra: Callable[[Phone], None] | None = None,
) -> Outcome:
    replies = _fit(replies)
    now = timezone.now()
    with transaction.atomic():
        phone = _write_phone(phone, step, now)
        dialog_number = phone.dialog
        received = Message.objects.create(
            phone=phone,
            direction=Direction.IN,
            body=inbound.body,
            provider_sid=inbound.sid,
            media=[[m.url, m.content_type] for m in inbound.media],
            dialog=dialog_number,
            request=request,
            at=now,
        )
        Message.objects.bulk_create(
            Message(
                phone=phone,
                direction=Direction.OUT,
                body=text,
                reply_to=received,
                dialog=dialog_number,
                request=request,
                at=now,
            )
            for text in replies
        )
        if request is not None:
            # The whole dialog becomes the request's transcript.
            Message.objects.filter(phone=phone, dialog=dialog_number, request__isnull=True).update(
                request=request
            )
        if step.opt_out is True:
            _opt_out(phone)
        if isinstance(step.effect, Follow):
            _follow(phone, step.effect)
        if extra is not None:
            extra(phone)
    return Outcome(replies=list(replies), request=request)


def _write_phone(phone: Phone, step: Step, now: object) -> Phone:
    fields: dict[str, object] = {"state": step.state, "data": step.data, "state_at": now}
    if step.language:
        fields["language"] = step.language
    if step.opt_out is True:
        fields["opted_out_at"] = now
    elif step.opt_out is False:
        fields["opted_out_at"] = None
    if phone.pk is None:
        # A second first message from the same number at the same moment fails here on the
        # unique number, and is handled again by the provider's retry.
        return Phone.objects.create(
            number=phone.number, dialog=1 if step.new_dialog else 0, **fields
        )
    # Messages from one phone come one at a time (a person typing; a provider's retry of the
    # same message is caught by its MessageSid), so the phone read before is still current.
    if step.new_dialog:
        fields["dialog"] = phone.dialog + 1
    Phone.objects.filter(pk=phone.pk).update(**fields)
    for name, value in fields.items():
        setattr(phone, name, value)
    return phone


def _opt_out(phone: Phone) -> None:
    subscriptions.unfollow_phone(phone.number)


def _follow(phone: Phone, follow: Follow) -> None:
    request = selectors.get_by_tracking_number(follow.tracking_number)
    if request is not None:
        subscriptions.follow_by_phone(request=request, phone=phone.number, language=follow.language)


def _photos(media: Sequence[object]) -> list[tuple[bytes, str]]:
    """MMS attachments fetched from the provider, before any transaction. One that cannot be
    fetched is left out (and logged); the report itself still goes in."""
    provider = get_provider()
    photos = []
    for i, item in enumerate(media, 1):
        url = getattr(item, "url", "")
        try:
            data, _content_type = provider.fetch_media(url)
        except SendError as exc:
            log.warning("MMS photo %s of a report could not be fetched: %s", i, exc)
            continue
        photos.append((data, f"mms-{i}"))
    return photos


def _submit(phone: Phone, inbound: Inbound, step: Step, before: list[str]) -> Outcome:
    plan = step.effect
    assert isinstance(plan, Submit)
    photos = _photos(plan.media) if plan.media else []
    outcome: list[Outcome] = []

    def record(submission: Submission) -> None:
        request = submission.request
        parent = submission.duplicate_of
        with translation.override(plan.language):
            text = report.submitted_text(
                request.tracking_number, duplicate_of=parent.tracking_number if parent else ""
            )

        def follow(stored: Phone) -> None:
            subscriptions.follow_by_phone(
                request=parent or request,
                phone=stored.number,
                language=plan.language,
                is_reporter=True,
            )

        outcome.append(_store(phone, inbound, step, [*before, text], request=request, extra=follow))

    if _reports_today(phone.number) >= settings.SMS_MAX_REPORTS_PER_DAY:
        with translation.override(plan.language):
            refused = report.not_submitted_text(
                [report.too_many_text(settings.SMS_MAX_REPORTS_PER_DAY)]
            )
        return _store(phone, inbound, _kept(step, plan), [*before, refused])
    try:
        submit_request(
            service_code=plan.service_code,
            channel=Channel.SMS,
            actor=Actor.resident(),
            lat=plan.lat,
            long=plan.long,
            address=plan.address,
            answers=plan.answers,
            description=plan.description,
            contact=Contact(phone=phone.number, language=plan.language),
            photos=photos,
            source="sms",
            within=record,
        )
    except DomainError as exc:
        with translation.override(plan.language):
            refused = report.not_submitted_text([p.message for p in exc.problems])
        # Keep what they typed: SEND tries again.
        return _store(phone, inbound, _kept(step, plan), [*before, refused])
    return outcome[0]


def _kept(step: Step, plan: Submit) -> Step:
    """The step with the dialog left at the description, everything kept, so SEND retries."""
    return Step(
        replies=[], state=DialogState.DESCRIPTION, data=plan.data, new_dialog=step.new_dialog
    )


def _reports_today(number: str) -> int:
    since = timezone.now() - timedelta(days=1)
    return (
        Message.objects.filter(
            phone__number=number,
            direction=Direction.IN,
            at__gte=since,
            request__isnull=False,
        )
        .values("request")
        .distinct()
        .count()
    )
