"""The demo city's sample history: requests over the last weeks replayed through the same actions
as live ones (a few on top of an open one, so duplicates show), then acknowledged, worked and
closed at plausible times, each at its own moment on the clock (lib/clock.py)."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from civic311.catalog.models import Service
from civic311.choices import Channel, Datatype, Status
from civic311.democity import catalog
from civic311.geo.models import AddressPoint
from civic311.lib import clock
from civic311.lib.errors import DomainError
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest

Say = Callable[[str], None]

DESCRIPTIONS = [
    "",
    "Been like this for a week.",
    "Please fix soon, it is getting worse.",
    "Near the bus stop.",
    "In front of the school.",
    "Second time I report this.",
    "Dangerous for cyclists.",
    "Right next to the corner store.",
]
SAMPLE_TEXT = {
    "make": ["Toyota", "Ford", "Honda", "Chevrolet", "Nissan"],
    "color": ["Blue", "White", "Black", "Silver", "Red"],
    "plate": ["ABC 1234", "Illinois, unreadable", "No plate"],
    "pole_number": ["P-10482", "P-22913", "Cannot read it"],
    "business_name": ["Corner Diner", "Lucky Noodle House", "Taqueria Sol"],
    "details": ["Saw mice near the counter twice.", "Staff handled food without gloves."],
}
CHANNELS = [(Channel.PHONE, 40), (Channel.WEB, 30), (Channel.API, 18), (Channel.SMS, 12)]
CLOSE_NOTES: dict[str, list[str]] = {
    Status.CLOSED_FIXED: [
        "Repaired.",
        "Crew completed the work.",
        "Done. Thank you for reporting.",
    ],
    Status.CLOSED_NOT_FIXED: [
        "Inspected: nothing found at this location.",
        "This is on private property; the owner has been notified.",
    ],
    Status.CLOSED_REFERRED: ["Referred to the Illinois Department of Transportation (state road)."],
}


@dataclass(order=True)
class _Event:
    at: datetime
    seq: int
    run: Callable[[], object] = field(compare=False)


def _answers(rng: random.Random, service: Service) -> dict[str, str | list[str]]:
    answers: dict[str, str | list[str]] = {}
    for attribute in service.attributes.all():
        if not attribute.required and rng.random() < 0.5:
            continue
        keys = [v.key for v in attribute.values.all()]
        if attribute.datatype == Datatype.SINGLEVALUELIST:
            answers[attribute.code] = rng.choice(keys)
        elif attribute.datatype == Datatype.MULTIVALUELIST:
            answers[attribute.code] = rng.sample(keys, k=rng.randint(1, min(2, len(keys))))
        elif attribute.datatype == Datatype.NUMBER:
            answers[attribute.code] = str(rng.randint(1, 12))
        elif attribute.datatype == Datatype.DATETIME:
            answers[attribute.code] = (
                timezone.now() - timedelta(days=rng.randint(1, 9))
            ).isoformat()
        else:
            answers[attribute.code] = rng.choice(
                SAMPLE_TEXT.get(attribute.code, ["See the description."])
            )
    return answers


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


class _History:
    """Events on a timeline, replayed in order: each submission schedules its own follow-ups."""

    def __init__(self, *, seed: int, days: int) -> None:
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.start = self.now - timedelta(days=days)
        self.days = days
        self.events: list[_Event] = []
        self.seq = 0
        self.submitted: list[ServiceRequest] = []
        self.services = {
            s.service_code: s for s in Service.objects.prefetch_related("attributes__values")
        }
        codes = catalog.chicago_codes()
        self.weights = [(codes[spec.key]["service_code"], spec.weight) for spec in catalog.SERVICES]
        self.points = list(AddressPoint.objects.values_list("address", "lat", "long"))
        if not self.points:
            raise RuntimeError("load the address points first")

    def schedule(self, at: datetime, run: Callable[[], object]) -> None:
        if at < self.now:
            self.seq += 1
            heapq.heappush(self.events, _Event(at, self.seq, run))

    def follow_up(self, request: ServiceRequest, service: Service) -> None:
        rng, start = self.rng, request.requested_at
        sla = timedelta(hours=service.sla_hours or 14 * 24)
        staff = actions.Actor(label=request.department.name)
        self.schedule(
            start + timedelta(hours=rng.uniform(1, 30)),
            lambda: actions.change_status(request=request, status=Status.ACKNOWLEDGED, actor=staff),
        )
        if rng.random() < 0.3:
            status = rng.choice([Status.IN_PROGRESS, Status.SCHEDULED])
            self.schedule(
                start + sla * rng.uniform(0.2, 0.5),
                lambda: actions.change_status(
                    request=request, status=status, actor=staff, note="A crew has been assigned."
                ),
            )
        if rng.random() < 0.1:
            self.schedule(
                start + timedelta(hours=rng.uniform(2, 48)),
                lambda: actions.add_note(
                    request=request, note="Checked with the ward office.", actor=staff, public=False
                ),
            )
        reason = _weighted(
            rng,
            [(Status.CLOSED_FIXED, 85), (Status.CLOSED_NOT_FIXED, 10), (Status.CLOSED_REFERRED, 5)],
        )
        note = rng.choice(CLOSE_NOTES[reason])
        self.schedule(
            start + sla * min(3.0, rng.lognormvariate(-0.4, 0.6)),
            lambda: actions.close(request=request, status=reason, actor=staff, note=note),
        )

    def _place(self, service: Service) -> tuple[str, float, float]:
        rng = self.rng
        address, lat, long = rng.choice(self.points)
        open_same = [
            r for r in self.submitted[-200:] if r.service_id == service.pk and not r.is_closed
        ]
        if open_same and rng.random() < 0.04:  # somebody reports what is already reported
            twin = rng.choice(open_same)
            address, lat, long = twin.address, twin.lat, twin.long
        return address, lat + rng.uniform(-0.00008, 0.00008), long + rng.uniform(-0.0001, 0.0001)

    def submit(self, n: int) -> None:
        rng = self.rng
        code = _weighted(rng, self.weights)
        service = self.services[code]
        address, lat, long = self._place(service)
        channel = _weighted(rng, CHANNELS)
        email = f"resident{n}@example.org" if rng.random() < 0.5 else ""
        operator = actions.Actor(label="311 City Services")
        result = actions.submit_request(
            service_code=code,
            channel=channel,
            actor=operator if channel == Channel.PHONE else actions.Actor.resident(),
            lat=lat,
            long=long,
            address=address,
            description=rng.choice(DESCRIPTIONS),
            answers=_answers(rng, service),
            contact=actions.Contact(email=email),
            source="Chicago Works (demo)" if channel == Channel.API else "",
        )
        self.submitted.append(result.request)
        if result.duplicate_of is None:
            self.follow_up(result.request, service)

    def replay(self, count: int) -> int:
        """Schedules `count` submissions over the days, then replays every event in time order;
        returns how many actions were carried out."""
        for n in range(count):
            at = self.start + timedelta(seconds=self.rng.uniform(0, self.days * 86400))
            self.schedule(at, lambda n=n: self.submit(n))  # type: ignore[misc]
        done = 0
        while self.events:
            event = heapq.heappop(self.events)
            with clock.at(event.at):
                try:
                    event.run()
                    done += 1
                except DomainError:
                    pass  # e.g. closing a request that was merged meanwhile: skip, as staff would
        return done


def generate_sample_requests(say: Say, *, count: int, days: int = 45, seed: int = 311) -> int:
    """Replays `count` requests over the last `days` days through the actions."""
    if ServiceRequest.objects.exists():
        say("sample requests: already there")
        return 0
    history = _History(seed=seed, days=days)
    done = history.replay(count)
    say(f"sample requests: {len(history.submitted)} requests, {done} actions replayed")
    return len(history.submitted)
