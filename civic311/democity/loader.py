"""Loading the demo city: Chicago's boundaries, addresses, departments, services and a few
weeks of plausible requests, each step skipped when already done (`make run` runs it every time).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from civic311.catalog.models import AttributeValue, Jurisdiction, Service, ServiceAttribute
from civic311.democity import catalog
from civic311.democity.boundaries import load_chicago_boundaries
from civic311.democity.catalog import spanish
from civic311.democity.history import generate_sample_requests
from civic311.democity.staff import create_demo_staff
from civic311.democity.streets import address_points
from civic311.departments.models import Department
from civic311.geo.geocoders import import_address_points
from civic311.geo.locator import locate
from civic311.geo.models import AddressPoint, Area

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
        _install_service(spec, codes[spec.key], jurisdiction, departments)
    say(f"catalog: {len(departments)} departments, {len(catalog.SERVICES)} services")
    return jurisdiction


def _install_service(
    spec: catalog.DemoService,
    real: dict[str, str],
    jurisdiction: Jurisdiction,
    departments: dict[str, Department],
) -> None:
    """One service under Chicago's real code and name, its questions and their answers; what
    the catalogue no longer lists is removed."""
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
                service_name=real["service_name"], description=spec.description, group=spec.group
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
                defaults={"name": name, "order": value_order, "translations": spanish(name=name)},
            )


# --- Sample requests ---------------------------------------------------------------------------


def load_demo_city(say: Say, *, sample: int) -> None:
    load_boundaries(say)
    load_addresses(say)
    install_catalog(say)
    create_demo_staff(say)
    if sample:
        generate_sample_requests(say, count=sample)
