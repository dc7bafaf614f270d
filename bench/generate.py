"""Fill the database with N realistic service requests, for benchmarks.

    DJANGO_SETTINGS_MODULE=civic311.settings DATABASE_URL=sqlite:///bench/var/b.sqlite3 \\
        python bench/generate.py --count 1000000

Run `manage.py migrate` and `manage.py load_demo_city --sample 0` on the same database first
(boundaries, address points, departments and services). `bench/run.py` does all of it.

Why this writes ServiceRequest and TimelineEntry rows directly instead of calling
service_requests.actions: it is an importer of benchmark history, not a channel. Replaying a
million submissions, acknowledgements and closures through the actions would take hours and
queue millions of notifications for events that are long past. The rows written here are the
ones those actions would have left behind (the request, its request.opened entry, an
acknowledgement for some, a closure for the closed ones) with the same derived fields (ward,
community area and ZIP from geo.locator.locate, H3 cells from geo.cells, department, priority
and expected completion from the service, tracking numbers that continue the per-year counter).
It lives outside civic311/ on purpose: inside the product only service_requests/actions writes
these models, and a test scans civic311/ for that.

Where the numbers come from: bench/data/la_myla311_2020-01-01_to_03.csv, 10,000 real Los Angeles
requests. Each generated request takes one LA request as its model (so service, outcome, time to
close, channel and hour of day keep their real correlations: graffiti is closed within hours,
encampments take weeks), a place drawn among places generated for that LA request type (LA's
coordinates mapped affinely onto the demo city's bounding box, redrawn when they fall outside
the city), and a day spread evenly over the last --years years (so the API's default 90-day
window holds about 90 / (365 * years) of the rows: 8% for three years). A request is closed if
its LA model was closed and its time to close has passed by now; otherwise it is still open
(acknowledged after 1-30 hours, as the demo city does).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
LA_CSV = BENCH_DIR / "data" / "la_myla311_2020-01-01_to_03.csv"

# --- How Los Angeles maps onto the demo city ----------------------------------------------------

# LA request type -> demo service (its key in civic311/democity/data/catalog.yaml). LA's "Other" is
# spread over the demo services that no LA type maps onto, by their catalog weights, so every
# demo service has requests (pothole, the heaviest, gets the most of them).
SERVICE_FOR_LA_TYPE: dict[str, str | None] = {
    "Bulky Items": "fly_dumping",  # furniture and mattresses left on the parkway
    "Illegal Dumping Pickup": "fly_dumping",
    "Graffiti Removal": "graffiti_removal",
    "Metal/Household Appliances": "missed_garbage_pickup",  # a special pickup from the curb
    "Electronic Waste": "missed_garbage_pickup",
    "Homeless Encampment": "sanitation_code_violation",
    "Dead Animal Removal": "dead_animal_pickup",
    "Single Streetlight Issue": "street_light_out",
    "Multiple Streetlight Issue": "street_light_out",
    "Report Water Waste": "water_on_street",
    "Other": None,
}

# LA status -> how the request ends here. LA's closed ones close after their real time to close
# (or are still open, if that time has not passed yet); Open and Pending never closed in LA.
CLOSED_STATUS_FOR_LA: dict[str, str] = {
    "Closed": "closed_fixed",
    "Cancelled": "closed_not_fixed",
    "Referred Out": "closed_referred",
}
STILL_OPEN_STATUS_FOR_LA: dict[str, str] = {"Open": "open", "Pending": "acknowledged"}

# LA request source -> channel. LA has no text-message channel, so neither does this history.
CHANNEL_FOR_LA_SOURCE: dict[str, str] = {
    "Call": "phone",
    "Mobile App": "api",  # the MyLA311 app: the kind of app that uses Open311
    "Self Service": "web",
    "Email": "web",
    "Driver Self Report": "staff",  # sanitation crews reporting what they pass
    "Council's Office": "ward_office",
    "Letter": "phone",  # typed in by an operator
}

# Acknowledgement after 1-30 hours, as the demo city's sample requests do.
ACK_HOURS = (1.0, 30.0)
# Places are points the generator locates (ward, community area, ZIP) one by one; a million
# requests share at most this many of them, as real requests share addresses.
DEFAULT_PLACES = 200_000
# A place takes the address of its nearest address point when one is this close; otherwise a
# house number on the nearest street of the demo city's grid (address points only line the
# major streets, so points deep inside a square mile would otherwise have no address).
ADDRESS_MAX_M = 150.0
PLACE_JITTER_M = 80.0
SOURCE = "bench generator"
# Who the public timeline says opened a request, by channel; city staff: their department.
OPENED_BY = {
    "phone": "311 City Services",
    "ward_office": "Ward office",
    "web": "Resident",
    "api": "Resident",
    "sms": "Resident",
}

DESCRIPTIONS = [
    "",
    "",
    "Been like this for a week.",
    "Please send someone soon.",
    "Next to the bus stop.",
    "In front of the school, kids walk by here.",
    "Second time I report this.",
    "On the parkway by the alley entrance.",
    "Across from the grocery store.",
    "It is blocking part of the sidewalk.",
]
CLOSE_NOTES: dict[str, list[str]] = {
    "closed_fixed": ["Completed.", "Crew completed the work.", "Done. Thank you for reporting."],
    "closed_not_fixed": [
        "Cancelled: nothing found at this location.",
        "Cancelled at the resident's request.",
    ],
    "closed_referred": ["Referred to the state Department of Transportation."],
}
TEXT_ANSWERS = ["See the description.", "Blue", "ABC 1234", "P-10482", "Corner Diner"]
ANSWER_VARIANTS = 24

Say = Callable[[str], None]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


# --- The Los Angeles sample -------------------------------------------------------------------


@dataclass
class LaSample:
    """The LA rows that have coordinates, as arrays indexed by row."""

    types: list[str]
    type_of: IntArray
    status: list[str]
    source: list[str]
    seconds_of_day: FloatArray  # local created time
    close_seconds: FloatArray  # created -> closed; NaN if never closed
    lat: FloatArray
    long: FloatArray

    def __len__(self) -> int:
        return len(self.status)


def _la_time(text: str) -> datetime | None:
    text = text.strip()
    return datetime.strptime(text, "%m/%d/%y %H:%M") if text else None


def read_la(path: Path) -> LaSample:
    types: list[str] = []
    type_of, status, source, tod, close, lat, long = [], [], [], [], [], [], []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            created = _la_time(row["createddate"])
            if created is None or not row["latitude"] or not row["longitude"]:
                continue
            kind = row["requesttype"]
            if kind not in SERVICE_FOR_LA_TYPE:
                raise SystemExit(f"{path}: request type {kind!r} has no mapping; add it")
            if kind not in types:
                types.append(kind)
            closed = _la_time(row["closeddate"])
            if closed is None and row["status"] in CLOSED_STATUS_FOR_LA:
                closed = _la_time(row["updateddate"])  # a few closed rows lack a closed date
            if row["status"] not in CLOSED_STATUS_FOR_LA:
                closed = None
            # LA times are to the minute: a request closed "at once" took up to a minute.
            took = (closed - created).total_seconds() if closed is not None else math.nan
            type_of.append(types.index(kind))
            status.append(row["status"])
            source.append(row["requestsource"])
            tod.append(created.hour * 3600 + created.minute * 60)
            close.append(max(took, 0.0) if closed is not None else math.nan)
            lat.append(float(row["latitude"]))
            long.append(float(row["longitude"]))
    return LaSample(
        types=types,
        type_of=np.array(type_of, dtype=np.int64),
        status=status,
        source=source,
        seconds_of_day=np.array(tod, dtype=np.float64),
        close_seconds=np.array(close, dtype=np.float64),
        lat=np.array(lat),
        long=np.array(long),
    )


# --- The demo city ------------------------------------------------------------------------------


@dataclass
class ServiceInfo:
    pk: int
    code: str
    department_id: int
    department_code: str
    department_name: str
    priority: str
    sla_seconds: float | None
    answers: list[Any] = field(default_factory=list)  # prepared for the database


@dataclass
class Places:
    lat: FloatArray
    long: FloatArray
    ward: list[str]
    community_area: list[str]
    zipcode: list[str]
    h3_r9: list[str]
    h3_r7: list[str]
    address: list[str]
    by_type: dict[int, IntArray]


def _raw_answers(rng: np.random.Generator, attributes: Sequence[Any]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for attribute in attributes:
        if not attribute.required and rng.random() < 0.5:
            continue
        keys = [v.key for v in attribute.values.all()]
        datatype = attribute.datatype
        if datatype == "singlevaluelist":
            answers[attribute.code] = str(rng.choice(keys))
        elif datatype == "multivaluelist":
            k = int(rng.integers(1, min(2, len(keys)) + 1))
            answers[attribute.code] = [str(x) for x in rng.choice(keys, size=k, replace=False)]
        elif datatype == "number":
            answers[attribute.code] = str(int(rng.integers(1, 13)))
        elif datatype == "datetime":
            answers[attribute.code] = "2024-05-01T08:15:00-05:00"
        else:
            answers[attribute.code] = str(rng.choice(TEXT_ANSWERS))
    return answers


def load_services(rng: np.random.Generator, connection: BaseDatabaseWrapper) -> dict[str, Any]:
    """The demo services by catalog key, with prepared answer variants (checked by the same
    validator a submission goes through)."""
    from civic311.catalog.answers import validate_answers
    from civic311.catalog.models import Service
    from civic311.democity import catalog
    from civic311.service_requests.models import ServiceRequest

    codes = catalog.chicago_codes()
    by_code = {
        s.service_code: s
        for s in Service.objects.select_related("department").prefetch_related("attributes__values")
    }
    answers_field = ServiceRequest._meta.get_field("answers")
    services: dict[str, ServiceInfo] = {}
    weights: dict[str, int] = {}
    for spec in catalog.SERVICES:
        code = codes[spec.key]["service_code"]
        service = by_code.get(code)
        if service is None:
            raise SystemExit(
                f"service {spec.key} ({code}) is missing: run `manage.py load_demo_city --sample 0`"
            )
        attributes = [a for a in service.attributes.all() if a.variable]
        info = ServiceInfo(
            pk=service.pk,
            code=code,
            department_id=service.department_id,
            department_code=service.department.code,
            department_name=service.department.name,
            priority=service.default_priority,
            sla_seconds=service.sla_hours * 3600.0 if service.sla_hours else None,
        )
        for _ in range(ANSWER_VARIANTS):
            normalised, problems = validate_answers(service, _raw_answers(rng, attributes))
            if problems:
                raise SystemExit(f"generated answers rejected for {spec.key}: {problems}")
            info.answers.append(answers_field.get_db_prep_save(normalised, connection))
        services[spec.key] = info
        weights[spec.key] = spec.weight
    return {"services": services, "weights": weights}


def city_bounds() -> tuple[float, float, float, float]:
    """(min_long, min_lat, max_long, max_lat) of the city limits (or of its wards)."""
    import json

    from shapely.geometry import shape

    from civic311.geo.models import Area

    bounds: list[tuple[float, float, float, float]] = []
    for kind in ("city", "ward", "community_area"):
        for text in Area.objects.filter(kind=kind).values_list("geometry", flat=True):
            bounds.append(shape(json.loads(text)).bounds)
        if bounds:
            break
    if not bounds:
        raise SystemExit("no boundaries: run `manage.py load_demo_city --sample 0` first")
    return (
        min(b[0] for b in bounds),
        min(b[1] for b in bounds),
        max(b[2] for b in bounds),
        max(b[3] for b in bounds),
    )


def build_places(la: LaSample, size: int, rng: np.random.Generator, say: Say) -> Places:
    """`size` points inside the city, each drawn like an LA request (same type mix, LA's
    density mapped onto the city's bounding box), located exactly once."""
    from shapely import points
    from shapely.strtree import STRtree

    from civic311.geo.cells import cells_for, distance_m
    from civic311.geo.locator import locate
    from civic311.geo.models import AddressPoint

    started = time.perf_counter()
    min_long, min_lat, max_long, max_lat = city_bounds()
    la_lat0, la_lat1 = float(la.lat.min()), float(la.lat.max())
    la_long0, la_long1 = float(la.long.min()), float(la.long.max())
    jitter_lat = PLACE_JITTER_M / 111_320.0
    jitter_long = jitter_lat / math.cos(math.radians((min_lat + max_lat) / 2))

    lats: list[float] = []
    longs: list[float] = []
    types: list[int] = []
    locations: list[Any] = []
    tries = 0
    while len(lats) < size:
        n = max(1000, 2 * (size - len(lats)))
        rows = rng.integers(0, len(la), size=n)
        lat = min_lat + (la.lat[rows] - la_lat0) / (la_lat1 - la_lat0) * (max_lat - min_lat)
        long = min_long + (la.long[rows] - la_long0) / (la_long1 - la_long0) * (max_long - min_long)
        lat = lat + rng.normal(0.0, jitter_lat, size=n)
        long = long + rng.normal(0.0, jitter_long, size=n)
        for i in range(n):
            tries += 1
            location = locate(float(lat[i]), float(long[i]))
            if not location.inside_city:
                continue  # redraw: LA's shape is not the city's
            lats.append(round(float(lat[i]), 6))
            longs.append(round(float(long[i]), 6))
            types.append(int(la.type_of[rows[i]]))
            locations.append(location)
            if len(lats) == size:
                break

    # The nearest address point, as the reverse geocoder gives a pin its address. Longitudes
    # are scaled so that planar distance ranks like distance on the ground.
    scale = math.cos(math.radians((min_lat + max_lat) / 2))
    known = list(AddressPoint.objects.values_list("address", "lat", "long"))
    addresses = [""] * size
    if known:
        tree = STRtree(points([(k[2] * scale, k[1]) for k in known]))
        query = points(np.column_stack([np.array(longs) * scale, np.array(lats)]))
        pairs = tree.query_nearest(query)
        seen = np.zeros(size, dtype=bool)
        for i, j in zip(pairs[0].tolist(), pairs[1].tolist(), strict=True):
            if seen[i]:
                continue  # ties: keep the first
            seen[i] = True
            address, a_lat, a_long = known[j]
            if distance_m(lats[i], longs[i], a_lat, a_long) <= ADDRESS_MAX_M:
                addresses[i] = address
    on_grid = StreetGrid()
    for i, address in enumerate(addresses):
        if not address:
            addresses[i] = on_grid.address(lats[i], longs[i])
    cells = [cells_for(a, b) for a, b in zip(lats, longs, strict=True)]
    type_array = np.array(types, dtype=np.int64)
    by_type = {t: np.flatnonzero(type_array == t) for t in range(len(la.types))}
    say(
        f"places: {size:,} located in {time.perf_counter() - started:.1f}s "
        f"({size / tries:.0%} of LA's points land inside the city)"
    )
    return Places(
        lat=np.array(lats),
        long=np.array(longs),
        ward=[loc.ward for loc in locations],
        community_area=[loc.community_area for loc in locations],
        zipcode=[loc.zipcode for loc in locations],
        h3_r9=[c[0] for c in cells],
        h3_r7=[c[1] for c in cells],
        address=addresses,
        by_type=by_type,
    )


class StreetGrid:
    """A house number on the nearest street of the demo city's address grid
    (civic311/democity/streets.py: 800 numbers a mile from State and Madison)."""

    def __init__(self) -> None:
        from civic311.democity import streets

        self.grid = streets
        rows = streets.read_streets(streets.STREETS_CSV)
        self.ns = [s for s in rows if s.axis == "ns"]
        self.ew = [s for s in rows if s.axis == "ew"]

    def address(self, lat: float, long: float) -> str:
        g = self.grid
        x = (long - g.ORIGIN_LONG) / g.LONG_PER_MILE * g.NUMBERS_PER_MILE
        y = (lat - g.ORIGIN_LAT) / g.LAT_PER_MILE * g.NUMBERS_PER_MILE
        ns = min(self.ns, key=lambda s: abs(x - s.grid))
        ew = min(self.ew, key=lambda s: abs(y - s.grid))
        if abs(x - ns.grid) <= abs(y - ew.grid):
            return f"{round(abs(y))} {'N' if y >= 0 else 'S'} {ns.name}"
        return f"{round(abs(x))} {'E' if x > 0 else 'W'} {ew.name}"


# --- Writing --------------------------------------------------------------------------------


class Table:
    """An INSERT for a model: the columns the generator fills, then every other column with its
    default (so a field added later with a default needs no change here)."""

    def __init__(
        self, model: type[Model], filled: Sequence[str], connection: BaseDatabaseWrapper
    ) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [name for name in filled if name not in fields]
        if unknown:
            raise SystemExit(
                f"{model.__name__} has no field(s) {unknown}: update bench/generate.py"
            )
        rest = [f for name, f in fields.items() if name not in filled]
        defaults: list[Any] = []
        for f in rest:
            default = f.get_default()
            if default is None and not f.null:
                raise SystemExit(
                    f"{model.__name__}.{f.name} is required and has no default: "
                    "teach bench/generate.py to fill it"
                )
            defaults.append(f.get_db_prep_save(default, connection))
        self.defaults = tuple(defaults)
        quote = connection.ops.quote_name
        columns = [fields[name].column for name in filled] + [f.column for f in rest]
        target = f"{quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)})"
        self.sql = f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(columns))})"
        self.copy_sql = f"COPY {target} FROM STDIN"
        self.vendor = connection.vendor

    def write(self, cursor: Any, rows: list[tuple[Any, ...]]) -> None:
        """Rows in one go: COPY on PostgreSQL (several times faster than INSERTs), executemany
        elsewhere. Inside the caller's transaction."""
        if self.vendor == "postgresql":
            with cursor.cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(self.sql, rows)


def datetime_adapter(connection: BaseDatabaseWrapper) -> Callable[[float], Any]:
    """A POSIX timestamp as the database wants a DateTimeField value (USE_TZ is on)."""
    if connection.vendor == "sqlite":
        # What Django's SQLite backend stores: naive UTC text.
        return lambda ts: datetime.fromtimestamp(ts, UTC).replace(tzinfo=None).isoformat(" ")
    adapt = connection.ops.adapt_datetimefield_value
    return lambda ts: adapt(datetime.fromtimestamp(ts, UTC))


def tune_for_load(connection: BaseDatabaseWrapper) -> None:
    """Settings for this connection only, while loading; closing it undoes them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Rows are consistent by construction; foreign keys are checked after the load.
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1048576")  # 1 GiB
            cursor.execute("PRAGMA temp_store=MEMORY")
        elif connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO off")


def _max_id(model: type[Model]) -> int:
    from django.db.models import Max

    return int(model._default_manager.aggregate(m=Max("pk"))["m"] or 0)


def database_size(connection: BaseDatabaseWrapper) -> int:
    if connection.vendor == "sqlite":
        name = Path(str(connection.settings_dict["NAME"]))
        return sum(
            p.stat().st_size for p in (name, Path(f"{name}-wal"), Path(f"{name}-shm")) if p.exists()
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    return 0


# --- The generator ------------------------------------------------------------------------------


def generate(
    *,
    count: int,
    years: float,
    seed: int,
    batch: int,
    places_size: int,
    csv_path: Path,
    now: float,
    say: Say,
) -> dict[str, Any]:
    from django.conf import settings
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from civic311.service_requests.models import ServiceRequest, TimelineEntry, TrackingCounter

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    la = read_la(csv_path)
    catalog = load_services(rng, connection)
    services: dict[str, ServiceInfo] = catalog["services"]
    service_list = list(services.values())
    service_index = {key: i for i, key in enumerate(services)}

    # Which demo service each LA type becomes; "Other" picks one of the unmapped services.
    mapped = {key for key in SERVICE_FOR_LA_TYPE.values() if key}
    others = [key for key in services if key not in mapped]
    other_weights = np.array([catalog["weights"][k] for k in others], dtype=np.float64)
    other_weights /= other_weights.sum()

    places = build_places(la, max(1, min(count, places_size)), rng, say)
    tz = ZoneInfo(settings.CITY_TIME_ZONE)

    # --- Draw every request, then put them in time order -------------------------------------
    model = rng.integers(0, len(la), size=count)  # the LA request each one imitates
    la_type = la.type_of[model]
    days = max(1, round(years * 365.25))
    today = datetime.fromtimestamp(now, tz).date()
    day_back = rng.integers(0, days, size=count)
    # Local midnight of each day back and that day's UTC offset (at noon; a request in the hour
    # a clock changes is off by that hour, which no benchmark can notice).
    midnight = np.empty(days, dtype=np.float64)
    offset = np.empty(days, dtype=np.float64)
    year_of_day = np.empty(days, dtype=np.int64)
    for d in range(days):
        day = today - timedelta(days=d)
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=tz)
        offset[d] = noon.utcoffset().total_seconds()  # type: ignore[union-attr]
        midnight[d] = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
        year_of_day[d] = day.year
    seconds = la.seconds_of_day[model] + rng.uniform(0, 60, size=count)
    requested = midnight[day_back] + seconds - offset[day_back]
    future = requested > now
    # Today's requests later than now: move them back a day.
    requested[future] -= 86400.0
    year = year_of_day[day_back]
    year[future] = year_of_day[np.minimum(day_back[future] + 1, days - 1)]
    close_after = la.close_seconds[model] + rng.uniform(0, 60, size=count)
    ack_after = rng.uniform(ACK_HOURS[0] * 3600, ACK_HOURS[1] * 3600, size=count)
    service_of = np.empty(count, dtype=np.int64)
    for t, kind in enumerate(la.types):
        chosen = la_type == t
        key = SERVICE_FOR_LA_TYPE[kind]
        if key is not None:
            service_of[chosen] = service_index[key]
        else:
            picks = rng.choice(len(others), size=int(chosen.sum()), p=other_weights)
            service_of[chosen] = np.array([service_index[others[p]] for p in picks], dtype=np.int64)
    place_of = np.empty(count, dtype=np.int64)
    all_places = np.arange(len(places.lat))
    for t in range(len(la.types)):
        chosen = np.flatnonzero(la_type == t)
        pool = places.by_type.get(t)
        if pool is None or len(pool) == 0:
            pool = all_places
        place_of[chosen] = pool[rng.integers(0, len(pool), size=len(chosen))]
    answer_of = rng.integers(0, ANSWER_VARIANTS, size=count)
    description_of = rng.integers(0, len(DESCRIPTIONS), size=count)
    note_of = rng.integers(0, 1_000_000, size=count)

    order = np.argsort(requested, kind="stable").tolist()
    # Plain lists: indexing a numpy array one element at a time is several times slower.
    model_l, service_l, place_l = model.tolist(), service_of.tolist(), place_of.tolist()
    requested_l, year_l = requested.tolist(), year.tolist()
    close_l, ack_l = close_after.tolist(), ack_after.tolist()
    answer_l, description_l, note_l = answer_of.tolist(), description_of.tolist(), note_of.tolist()
    place_lat, place_long = places.lat.tolist(), places.long.tolist()
    say(f"drawn: {count:,} requests in {time.perf_counter() - started:.1f}s")

    # --- Numbers and ids ---------------------------------------------------------------------
    counters = dict(TrackingCounter.objects.values_list("year", "last"))
    serials: dict[int, int] = {int(y): int(n) for y, n in counters.items()}
    next_request_id = _max_id(ServiceRequest) + 1
    next_entry_id = _max_id(TimelineEntry) + 1
    if next_request_id > 1:
        say(f"note: {next_request_id - 1:,} requests already stored; adding {count:,} more")

    request_table = Table(
        ServiceRequest,
        [
            "id",
            "tracking_number",
            "service_id",
            "status",
            "status_notes",
            "department_id",
            "priority",
            "channel",
            "source",
            "description",
            "answers",
            "lat",
            "long",
            "address",
            "zipcode",
            "ward",
            "community_area",
            "h3_r9",
            "h3_r7",
            "requested_at",
            "updated_at",
            "expected_at",
            "closed_at",
        ],
        connection,
    )
    entry_table = Table(
        TimelineEntry,
        ["id", "request_id", "type", "at", "actor_label", "public", "note", "data"],
        connection,
    )
    data_field = TimelineEntry._meta.get_field("data")
    data_cache: dict[tuple[str, ...], Any] = {}

    def data(*key: str) -> Any:
        found = data_cache.get(key)
        if found is None:
            if key[0] == "opened":
                value: dict[str, Any] = {
                    "channel": key[1],
                    "department": key[2],
                    "possible_duplicates": [],
                }
            else:
                value = {"from": key[1], "to": key[2]}
            found = data_cache[key] = data_field.get_db_prep_save(value, connection)
        return found

    dt = datetime_adapter(connection)
    true = TimelineEntry._meta.get_field("public").get_db_prep_save(True, connection)
    la_status = la.status
    la_source = la.source
    channel_of_source = CHANNEL_FOR_LA_SOURCE
    tally: Counter[str] = Counter()
    recent = 0
    recent_since = now - 90 * 86400
    entries = 0
    batch_years: set[int] = set()

    def reset_sequences() -> None:
        # PostgreSQL: ids were given explicitly, so move the sequences past them.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [ServiceRequest, TimelineEntry]
            ):
                cursor.execute(sql)

    tune_for_load(connection)
    load_started = time.perf_counter()
    try:
        for start in range(0, count, batch):
            request_rows: list[tuple[Any, ...]] = []
            entry_rows: list[tuple[Any, ...]] = []
            for i in order[start : start + batch]:
                r = model_l[i]
                info = service_list[service_l[i]]
                place = place_l[i]
                at = requested_l[i]
                y = year_l[i]
                serial = serials.get(y, 0) + 1
                serials[y] = serial
                batch_years.add(y)
                status_la = la_status[r]
                took = close_l[i]
                closes = status_la in CLOSED_STATUS_FOR_LA and at + took <= now
                ack_at = at + ack_l[i]
                if closes:
                    closed_at: float | None = at + took
                    acknowledged = ack_at < at + took
                    status = CLOSED_STATUS_FOR_LA[status_la]
                else:
                    closed_at = None
                    # LA's "Open" ones were never even acknowledged; the rest were, in time.
                    acknowledged = status_la != "Open" and ack_at <= now
                    status = "acknowledged" if acknowledged else "open"
                channel = channel_of_source.get(la_source[r], "web")
                request_id = next_request_id
                next_request_id += 1
                notes = ""
                updated = at
                entry_rows.append(
                    (
                        next_entry_id,
                        request_id,
                        "request.opened",
                        dt(at),
                        OPENED_BY.get(channel) or info.department_name,
                        true,
                        "",
                        data("opened", channel, info.department_code),
                        *entry_table.defaults,
                    )
                )
                next_entry_id += 1
                if acknowledged:
                    entry_rows.append(
                        (
                            next_entry_id,
                            request_id,
                            "request.status_changed",
                            dt(ack_at),
                            info.department_name,
                            true,
                            "",
                            data("changed", "open", "acknowledged"),
                            *entry_table.defaults,
                        )
                    )
                    next_entry_id += 1
                    updated = ack_at
                if closed_at is not None:
                    choices = CLOSE_NOTES[status]
                    notes = choices[note_l[i] % len(choices)]
                    entry_rows.append(
                        (
                            next_entry_id,
                            request_id,
                            "request.closed",
                            dt(closed_at),
                            info.department_name,
                            true,
                            notes,
                            data("closed", "acknowledged" if acknowledged else "open", status),
                            *entry_table.defaults,
                        )
                    )
                    next_entry_id += 1
                    updated = max(updated, closed_at)
                request_rows.append(
                    (
                        request_id,
                        f"{y % 100:02d}-{serial:08d}",
                        info.pk,
                        status,
                        notes,
                        info.department_id,
                        info.priority,
                        channel,
                        SOURCE,
                        DESCRIPTIONS[description_l[i]],
                        info.answers[answer_l[i]],
                        place_lat[place],
                        place_long[place],
                        places.address[place],
                        places.zipcode[place],
                        places.ward[place],
                        places.community_area[place],
                        places.h3_r9[place],
                        places.h3_r7[place],
                        dt(at),
                        dt(updated),
                        dt(at + info.sla_seconds) if info.sla_seconds else None,
                        dt(closed_at) if closed_at is not None else None,
                        *request_table.defaults,
                    )
                )
                tally[status] += 1
                if at >= recent_since:
                    recent += 1
            with transaction.atomic():
                with connection.cursor() as cursor:
                    request_table.write(cursor, request_rows)
                    entry_table.write(cursor, entry_rows)
                # Each year's counter moves with the rows, so an interrupted load leaves a database
                # where the next live submission (tracking.allocate) still gets a fresh number.
                for y in batch_years:
                    TrackingCounter.objects.update_or_create(year=y, defaults={"last": serials[y]})
            batch_years.clear()
            entries += len(entry_rows)
            done = min(start + batch, count)
            elapsed = time.perf_counter() - load_started
            say(
                f"  {done:>11,} / {count:,} requests, {entries:,} timeline entries "
                f"({(done + entries) / elapsed:,.0f} rows/s)"
            )
    finally:
        if connection.vendor != "sqlite":
            reset_sequences()  # even after an interruption

    load_seconds = time.perf_counter() - load_started
    finish_started = time.perf_counter()
    problems = finish(connection)
    say(f"checked and analysed in {time.perf_counter() - finish_started:.1f}s")
    if problems:
        raise SystemExit(f"foreign key problems after the load: {problems[:5]}")
    total = time.perf_counter() - started
    return {
        "requests": count,
        "timeline_entries": entries,
        "seconds": round(total, 1),
        "load_seconds": round(load_seconds, 1),
        "rows_per_second": round((count + entries) / load_seconds),
        "database_bytes": database_size(connection),
        "last_90_days": recent,
        "statuses": dict(tally.most_common()),
    }


def finish(connection: BaseDatabaseWrapper) -> list[Any]:
    """Foreign-key check (SQLite loads with them off), statistics for the planner, and the
    connection's load-time settings dropped."""
    problems: list[Any] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in ("service_requests_servicerequest", "service_requests_timelineentry"):
                cursor.execute(f"PRAGMA foreign_key_check({table})")
                problems.extend(cursor.fetchall())
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="requests to add")
    parser.add_argument("--years", type=float, default=3.0, help="history spread (default 3)")
    parser.add_argument("--seed", type=int, default=311)
    parser.add_argument("--batch", type=int, default=20_000, help="requests per transaction")
    parser.add_argument(
        "--places", type=int, default=DEFAULT_PLACES, help="distinct places to draw from"
    )
    parser.add_argument("--csv", type=Path, default=LA_CSV, help="the LA sample")
    parser.add_argument(
        "--now", type=float, default=None, help="POSIX time the history ends at (default: now)"
    )
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")

    if str(REPO_DIR) not in sys.path:
        sys.path.insert(0, str(REPO_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic311.settings")
    import django

    django.setup()
    from django.db import connection

    def say(text: str) -> None:
        print(text, flush=True)

    say(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    summary = generate(
        count=args.count,
        years=args.years,
        seed=args.seed,
        batch=args.batch,
        places_size=args.places,
        csv_path=args.csv,
        now=args.now if args.now is not None else time.time(),
        say=say,
    )
    say(
        f"done: {summary['requests']:,} requests and {summary['timeline_entries']:,} timeline "
        f"entries in {summary['seconds']}s (insert {summary['load_seconds']}s, "
        f"{summary['rows_per_second']:,} rows/s); database {summary['database_bytes'] / 2**20:,.0f}"
        f" MiB; last 90 days: {summary['last_90_days'] / summary['requests']:.1%}"
    )
    say("statuses: " + ", ".join(f"{k} {v:,}" for k, v in summary["statuses"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
