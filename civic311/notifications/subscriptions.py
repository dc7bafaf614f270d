"""Following a request: by the reporter (automatic), or by anyone from the tracking page.

Followers who are not the reporter confirm first (double opt-in): until they do, they receive
the confirmation email and nothing else. Every message goes out through the outbox
(deliveries.queue), never from the request that caused it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic311.choices import NotificationKind, SubscriptionChannel
from civic311.lib.errors import InvalidInput, NotFound, Problem
from civic311.notifications import deliveries
from civic311.notifications.models import Subscription
from civic311.service_requests import selectors
from civic311.service_requests.models import ReporterContact, ServiceRequest, TimelineEntry

MAX_ADDRESS = 254


def _store(subscription: Subscription, *fields: str) -> None:
    """Write the named fields (an UPDATE: this module reads requests and never saves one)."""
    Subscription.objects.filter(pk=subscription.pk).update(
        **{name: getattr(subscription, name) for name in fields}
    )


def normalise_language(language: str) -> str:
    """One of the languages emails are written in ("en", "es")."""
    return "es" if (language or "").strip().lower().startswith("es") else "en"


def clean_email(email: str) -> str:
    address = (email or "").strip().lower()
    problem = Problem("email.invalid", "email", _("This is not an email address."))
    if not address or len(address) > MAX_ADDRESS:
        raise InvalidInput([problem])
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidInput([problem]) from None
    return address


def follow_by_email(
    *, request: ServiceRequest, email: str, language: str, is_reporter: bool = False
) -> Subscription:
    """Follow `request` at `email`. The reporter is confirmed at once; anyone else is sent a
    confirmation email first. Following twice is harmless; following again after unsubscribing
    asks for confirmation again. Raises InvalidInput for an address that is not an email."""
    address = clean_email(email)
    language = normalise_language(language)
    now = timezone.now()
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            request=request,
            channel=SubscriptionChannel.EMAIL,
            address=address,
            defaults={
                "language": language,
                "is_reporter": is_reporter,
                "confirmed_at": now if is_reporter else None,
            },
        )
        if created:
            # A developer's test request notifies nobody, confirmations included.
            if not is_reporter and not request.is_test:
                deliveries.queue(subscription, NotificationKind.CONFIRM)
            return subscription
        if is_reporter:
            # A follower who turns out to be the reporter needs no confirmation; a reporter who
            # unsubscribed stays unsubscribed.
            if not subscription.is_reporter or subscription.confirmed_at is None:
                subscription.is_reporter = True
                subscription.confirmed_at = subscription.confirmed_at or now
                _store(subscription, "is_reporter", "confirmed_at")
        elif subscription.unsubscribed_at is not None:
            # Anyone may type any address: coming back needs the owner's confirmation again.
            subscription.unsubscribed_at = None
            subscription.confirmed_at = None
            subscription.language = language
            _store(subscription, "unsubscribed_at", "confirmed_at", "language")
            if not request.is_test:
                deliveries.queue(subscription, NotificationKind.CONFIRM, force_new=True)
    return subscription


def follow_by_phone(
    *, request: ServiceRequest, phone: str, language: str, is_reporter: bool = False
) -> Subscription:
    """Follow `request` by text message at `phone`, confirmed at once. Call it only when the
    number's owner asked: they texted FOLLOW, or told the 311 operator to text them (the
    consent carriers require). Following again after STOP (and START) resumes."""
    language = normalise_language(language)
    now = timezone.now()
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            request=request,
            channel=SubscriptionChannel.SMS,
            address=phone,
            defaults={"language": language, "is_reporter": is_reporter, "confirmed_at": now},
        )
        if not created:
            subscription.unsubscribed_at = None
            subscription.confirmed_at = subscription.confirmed_at or now
            subscription.is_reporter = subscription.is_reporter or is_reporter
            subscription.language = language
            _store(subscription, "unsubscribed_at", "confirmed_at", "is_reporter", "language")
    return subscription


def unfollow_phone(phone: str) -> int:
    """STOP: the number follows nothing any more. Returns how many subscriptions ended."""
    return Subscription.objects.filter(
        channel=SubscriptionChannel.SMS, address=phone, unsubscribed_at__isnull=True
    ).update(unsubscribed_at=timezone.now())


def _by_token(token: str) -> Subscription:
    subscription = (
        Subscription.objects.select_related("request").filter(token=token).first()
        if token
        else None
    )
    if subscription is None:
        raise NotFound([Problem("token.unknown", "token", _("This link is not valid."))])
    return subscription


def current(subscription: Subscription) -> Subscription:
    """The subscription a link now acts on: the one it was moved to when requests merged."""
    seen = {subscription.pk}
    while subscription.moved_to_id is not None and subscription.moved_to_id not in seen:
        seen.add(subscription.moved_to_id)
        subscription = Subscription.objects.select_related("request").get(
            pk=subscription.moved_to_id
        )
    return subscription


def get_by_token(token: str) -> Subscription:
    """The subscription a confirm or unsubscribe link names (followed through merges)."""
    return current(_by_token(token))


def confirm(token: str) -> Subscription:
    with transaction.atomic():
        subscription = get_by_token(token)
        if subscription.confirmed_at is None and subscription.unsubscribed_at is None:
            subscription.confirmed_at = timezone.now()
            _store(subscription, "confirmed_at")
    return subscription


def unsubscribe(token: str) -> Subscription:
    with transaction.atomic():
        subscription = get_by_token(token)
        if subscription.unsubscribed_at is None:
            subscription.unsubscribed_at = timezone.now()
            _store(subscription, "unsubscribed_at")
    return subscription


def subscribe_reporter(request: ServiceRequest) -> Subscription | None:
    """The reporter of a submission with an email follows it, confirmed (they gave the address
    themselves). Runs in the worker on `request.opened`; harmless to repeat."""
    contact = ReporterContact.objects.filter(request=request).first()
    if contact is None or not contact.email:
        return None
    try:
        return follow_by_email(
            request=request, email=contact.email, language=contact.language, is_reporter=True
        )
    except InvalidInput:
        return None


def move_followers(entry: TimelineEntry) -> list[Subscription]:
    """`request.merged`: the duplicate's followers follow the parent from now on. Returns the
    parent's subscriptions of the followers who were moved (confirmed or not), once each."""
    child = entry.request
    parent = ServiceRequest.objects.filter(tracking_number=entry.data.get("parent", "")).first()
    if parent is None:
        return []
    parent = selectors.root_of(parent)
    if parent.pk == child.pk:
        return []
    subscribe_reporter(child)
    moved = []
    with transaction.atomic():
        followers = Subscription.objects.select_for_update().filter(
            request=child, unsubscribed_at__isnull=True
        )
        for old in followers:
            if old.moved_to_id is not None:
                target = current(old)
                if target.request_id == parent.pk and target.unsubscribed_at is None:
                    moved.append(target)
                continue
            target, created = Subscription.objects.get_or_create(
                request=parent,
                channel=old.channel,
                address=old.address,
                defaults={"language": old.language, "confirmed_at": old.confirmed_at},
            )
            if not created and target.unsubscribed_at is not None:
                # They stopped following the parent themselves: leave them be.
                old.moved_to = target
                _store(old, "moved_to")
                continue
            if target.confirmed_at is None and old.confirmed_at is not None:
                target.confirmed_at = old.confirmed_at
                _store(target, "confirmed_at")
            old.moved_to = target
            _store(old, "moved_to")
            moved.append(target)
    return moved
