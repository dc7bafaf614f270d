"""Loading the demo city: Chicago's boundaries, addresses, departments, services and a few
weeks of plausible requests, each step skipped when already done (`make run` runs it every time).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from civic311.catalog.models import AttributeValue, Jurisdiction, Service, ServiceAttribute
from civic311.choices import Channel, Datatype, Status
from civic311.democity import catalog
from civic311.democity.boundaries import load_chicago_boundaries
from civic311.democity.catalog_es import spanish
from civic311.democity.staff import create_demo_staff
from civic311.democity.streets import address_points
from civic311.departments.models import Department
from civic311.geo.geocoders import import_address_points
from civic311.geo.locator import locate
from civic311.geo.models import AddressPoint, Area
from civic311.lib import clock
from civic311.lib.errors import DomainError
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest

JURISDICTION_ID = "cityofchicago.org"
STREETS_FILE = catalog.CODES_FILE.parent / "chicago_streets.csv"

Say = Callable[[str], None]


def load_boundaries(say: Say, *, force: bool = False) -> None:
    if Area.objects.exists() and not force:
        say("boundaries: already loaded")
        return
    counts = load_chicago_boundaries()
    say("boundaries: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))


def load_addresses(say: Say, *, force: bool = False) -> None:
    if AddressPoint.objects.exists() and not force:
        say("address points: already loaded")
        return

    def inside(lat: float, long: float) -> bool:
        return locate(lat, long).inside_city

    count = import_address_points(address_points(STREETS_FILE, inside=inside))
    say(f"address points: {count} from the Chicago street grid")


@transaction.atomic
def install_catalog(say: Say) -> Jurisdiction:
    """Departments and services, updated in place (safe to run again)."""
    jurisdiction, _ = Jurisdiction.objects.update_or_create(
        jurisdiction_id=JURISDICTION_ID,
        defaults={
            "name": "City of Chicago (Civic311 demo)",
            "contact": "Call 311, or use http://127.0.0.1:8000/",
            "key_service": "Run `make api-key` or ask the city for a key.",
        },
    )
    departments = {
        code: Department.objects.update_or_create(
            code=code, defaults={"name": name, "email": email}
        )[0]
        for code, name, email in catalog.DEPARTMENTS
    }
    codes = catalog.chicago_codes()
    for spec in catalog.SERVICES:
        real = codes[spec.key]
        service, _ = Service.objects.update_or_create(
            service_code=real["service_code"],
            defaults={
                "jurisdiction": jurisdiction,
                "service_name": real["service_name"],
                "description": spec.description,
                "group": spec.group,
                "keywords": spec.keywords,
                "department": departments[spec.department],
                "default_priority": spec.priority,
                "sla_hours": round(spec.sla_days * 24) if spec.sla_days else None,
                "duplicate_policy": spec.duplicates,
                "duplicate_radius_m": spec.radius_m,
                "active": True,
                "translations": spanish(
                    service_name=real["service_name"],
                    description=spec.description,
                    group=spec.group,
                ),
            },
        )
        service.attributes.exclude(code__in=[q.code for q in spec.questions]).delete()
        for order, question in enumerate(spec.questions, start=1):
            attribute, _ = ServiceAttribute.objects.update_or_create(
                service=service,
                code=question.code,
                defaults={
                    "description": question.text,
                    "datatype": question.datatype,
                    "required": question.required,
                    "order": order,
                    "datatype_description": question.datatype_description,
                    "translations": spanish(
                        description=question.text,
                        datatype_description=question.datatype_description,
                    ),
                },
            )
            attribute.values.exclude(key__in=[k for k, _ in question.values]).delete()
            for value_order, (key, name) in enumerate(question.values, start=1):
                AttributeValue.objects.update_or_create(
                    attribute=attribute,
                    key=key,
                    defaults={
                        "name": name,
                        "order": value_order,
                        "translations": spanish(name=name),
                    },
                )
    say(f"catalog: {len(departments)} departments, {len(catalog.SERVICES)} services")
    return jurisdiction


# --- Sample requests ---------------------------------------------------------------------------

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


def generate_sample_requests(say: Say, *, count: int, days: int = 45, seed: int = 311) -> int:
    """Replays `count` requests over the last `days` days through the actions: submissions
    (a few of them on top of an open one, so duplicates show), acknowledgements, work and
    closures, at plausible times."""
    if ServiceRequest.objects.exists():
        say("sample requests: already there")
        return 0
    rng = random.Random(seed)
    services = {s.service_code: s for s in Service.objects.prefetch_related("attributes__values")}
    codes = catalog.chicago_codes()
    weights = [(codes[spec.key]["service_code"], spec.weight) for spec in catalog.SERVICES]
    points = list(AddressPoint.objects.values_list("address", "lat", "long"))
    if not points:
        raise RuntimeError("load the address points first")
    now = timezone.now()
    events: list[_Event] = []
    seq = iter(range(10**9))
    submitted: list[ServiceRequest] = []
    operator = actions.Actor(label="311 City Services")

    def schedule(at: datetime, run: Callable[[], object]) -> None:
        if at < now:
            heapq.heappush(events, _Event(at, next(seq), run))

    def follow_up(request: ServiceRequest, service: Service) -> None:
        start = request.requested_at
        sla = timedelta(hours=service.sla_hours or 14 * 24)
        department = request.department.name
        staff = actions.Actor(label=department)
        schedule(
            start + timedelta(hours=rng.uniform(1, 30)),
            lambda: actions.change_status(request=request, status=Status.ACKNOWLEDGED, actor=staff),
        )
        if rng.random() < 0.3:
            schedule(
                start + sla * rng.uniform(0.2, 0.5),
                lambda: actions.change_status(
                    request=request,
                    status=rng.choice([Status.IN_PROGRESS, Status.SCHEDULED]),
                    actor=staff,
                    note="A crew has been assigned.",
                ),
            )
        if rng.random() < 0.1:
            schedule(
                start + timedelta(hours=rng.uniform(2, 48)),
                lambda: actions.add_note(
                    request=request, note="Checked with the ward office.", actor=staff, public=False
                ),
            )
        reason = _weighted(
            rng,
            [(Status.CLOSED_FIXED, 85), (Status.CLOSED_NOT_FIXED, 10), (Status.CLOSED_REFERRED, 5)],
        )
        took = sla * min(3.0, rng.lognormvariate(-0.4, 0.6))
        schedule(
            start + took,
            lambda: actions.close(
                request=request, status=reason, actor=staff, note=rng.choice(CLOSE_NOTES[reason])
            ),
        )

    def submit(n: int) -> None:
        code = _weighted(rng, weights)
        service = services[code]
        address, lat, long = rng.choice(points)
        open_same = [r for r in submitted[-200:] if r.service_id == service.pk and not r.is_closed]
        if open_same and rng.random() < 0.04:  # somebody reports what is already reported
            twin = rng.choice(open_same)
            address, lat, long = twin.address, twin.lat, twin.long
        lat += rng.uniform(-0.00008, 0.00008)
        long += rng.uniform(-0.0001, 0.0001)
        channel = _weighted(rng, CHANNELS)
        email = f"resident{n}@example.org" if rng.random() < 0.5 else ""
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
        submitted.append(result.request)
        if result.duplicate_of is None:
            follow_up(result.request, service)

    for n in range(count):
        at = now - timedelta(days=days) + timedelta(seconds=rng.uniform(0, days * 86400))
        schedule(at, lambda n=n: submit(n))  # type: ignore[misc]

    done = 0
    for event in _drain(events):
        with clock.at(event.at):
            try:
                event.run()
                done += 1
            except DomainError:
                pass  # e.g. closing a request that was merged meanwhile: skip, as staff would
    say(f"sample requests: {len(submitted)} requests, {done} actions replayed")
    return len(submitted)


def _drain(events: list[_Event]) -> Iterator[_Event]:
    while events:
        yield heapq.heappop(events)


def load_demo_city(say: Say, *, sample: int) -> None:
    load_boundaries(say)
    load_addresses(say)
    install_catalog(say)
    create_demo_staff(say)
    if sample:
        generate_sample_requests(say, count=sample)
