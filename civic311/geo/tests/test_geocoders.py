"""Geocoding: the offline address-point geocoder, the HTTP adapters and the address import."""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from civic311.geo.cells import cells_for, distance_m
from civic311.geo.geocoders import (
    AddressPointGeocoder,
    GeocodeResult,
    GeocoderUnavailable,
    HttpGeocoder,
    get_geocoder,
    import_address_points,
    normalise_address,
)
from civic311.geo.models import AddressPoint

# Real corners on Chicago's grid, 100 numbers (1/8 mile, ~200 m) apart.
W_MADISON_1200 = (41.88196, -87.656985)
W_MADISON_1300 = (41.88196, -87.659411)
W_MADISON_1600 = (41.88196, -87.666690)
W_MONROE_1200 = (41.880150, -87.656985)


@pytest.fixture
def madison(db: None) -> dict[str, AddressPoint]:
    import_address_points(
        [
            ("1200 W Madison St", *W_MADISON_1200, "60607"),
            ("1300 W Madison St", *W_MADISON_1300, "60607"),
            ("1600 W Madison St", *W_MADISON_1600, "60612"),
            ("1200 W Monroe St", *W_MONROE_1200, "60607"),
        ]
    )
    return {point.address: point for point in AddressPoint.objects.all()}


# --- Normalised keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "1200 west madison street",
        "1200 W. Madison St",
        "1200 W Madison St.",
        "  1200   W   MADISON   ST  ",
        "1200 W Madison St, Chicago, IL 60607",
        "1200 W Madison St Chicago IL 60607-1234",
        "1200 West Madison Street, Chicago, Illinois, USA",
        "1200 W Madison St Apt 3",
        "1200 W Madison St #3B",
        "1200, West Madison Street, Near West Side, Chicago",
    ],
)
def test_every_way_of_typing_an_address_gives_the_same_key(typed: str) -> None:
    assert normalise_address(typed) == "1200 W MADISON ST"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("1200 E 79 St", "1200 E 79TH ST"),
        ("1200 E 79th Street", "1200 E 79TH ST"),
        ("2400 N Lake Shore Drive", "2400 N LAKE SHORE DR"),
        ("3500 S King Boulevard", "3500 S KING BLVD"),
        ("4000 W Irving Park Road", "4000 W IRVING PARK RD"),
        ("2800 N Diversey Parkway", "2800 N DIVERSEY PKWY"),
        ("1200 W Fargo Court", "1200 W FARGO CT"),
        ("1000 S Avenue O", "1000 S AVE O"),
        ("123 Main Street Northwest, Washington, DC 20001", "123 MAIN ST NW"),
        ("3500 W Saint Louis Ave", "3500 W ST LOUIS AVE"),
    ],
)
def test_street_types_directions_and_numbered_streets_are_abbreviated(typed: str, key: str) -> None:
    assert normalise_address(typed) == key


def test_an_address_without_letters_or_numbers_has_no_key() -> None:
    assert normalise_address(" , ") == ""


# --- Offline geocoder ---------------------------------------------------------------------------


def test_it_finds_an_address_however_it_is_typed(madison: dict[str, AddressPoint]) -> None:
    result = AddressPointGeocoder().geocode("1200 west madison street, Chicago IL 60607")

    point = madison["1200 W Madison St"]
    assert result == GeocodeResult(
        address="1200 W Madison St",
        lat=W_MADISON_1200[0],
        long=W_MADISON_1200[1],
        zipcode="60607",
        address_id=str(point.pk),
    )


def test_it_places_a_house_number_between_the_two_numbers_around_it(
    madison: dict[str, AddressPoint],
) -> None:
    result = AddressPointGeocoder().geocode("1225 w madison street")

    assert result is not None
    assert result.address == "1225 W Madison St"
    assert result.lat == pytest.approx(41.88196)
    assert result.long == pytest.approx(
        W_MADISON_1200[1] + 0.25 * (W_MADISON_1300[1] - W_MADISON_1200[1])
    )
    assert result.zipcode == "60607"
    assert result.address_id == ""  # not a known address, so nothing to refer back to


def test_a_street_typed_without_its_type_is_found_when_only_one_type_fits(
    madison: dict[str, AddressPoint],
) -> None:
    geocoder = AddressPointGeocoder()

    listed = geocoder.geocode("1200 W. Madison")
    between = geocoder.geocode("1225 w madison")

    assert listed is not None
    assert (listed.address, listed.address_id) == (
        "1200 W Madison St",
        str(madison["1200 W Madison St"].pk),
    )
    assert between is not None
    assert between.address == "1225 W Madison St"


def test_a_street_typed_without_its_type_is_not_guessed_when_two_types_fit(db: None) -> None:
    import_address_points(
        [
            ("400 N Grand Ave", 41.8912, -87.6278, ""),
            ("500 N Grand Ave", 41.8930, -87.6278, ""),
            ("400 N Grand Blvd", 41.8000, -87.6170, ""),
        ]
    )

    assert AddressPointGeocoder().geocode("450 N Grand") is None
    assert AddressPointGeocoder().geocode("450 N Grand Ave") is not None


def test_a_number_past_the_end_of_the_known_numbers_takes_the_nearest_one(
    madison: dict[str, AddressPoint],
) -> None:
    result = AddressPointGeocoder().geocode("1650 W Madison St")

    assert result is not None
    assert result.address == "1650 W Madison St"
    assert (result.lat, result.long) == W_MADISON_1600
    assert result.zipcode == "60612"


def test_a_number_far_past_the_end_of_the_street_is_not_guessed(
    madison: dict[str, AddressPoint],
) -> None:
    assert AddressPointGeocoder().geocode("9000 W Madison St") is None


def test_a_number_on_the_other_side_of_the_grid_is_a_different_street(
    madison: dict[str, AddressPoint],
) -> None:
    assert AddressPointGeocoder().geocode("1250 E Madison St") is None


def test_an_unknown_street_or_a_place_name_finds_nothing(madison: dict[str, AddressPoint]) -> None:
    geocoder = AddressPointGeocoder()

    assert geocoder.geocode("1200 W Nowhere St") is None
    assert geocoder.geocode("the bean") is None
    assert geocoder.geocode("   ") is None
    assert geocoder.geocode("1200 W St") is None


def test_reverse_finds_the_nearest_address(madison: dict[str, AddressPoint]) -> None:
    # 60 m west of 1200 W Madison, 140 m east of 1300.
    result = AddressPointGeocoder().reverse(41.88196, -87.65771)

    assert result is not None
    assert result.address == "1200 W Madison St"
    assert result.address_id == str(madison["1200 W Madison St"].pk)


def test_reverse_looks_a_few_rings_out(madison: dict[str, AddressPoint]) -> None:
    lat, long = 41.88196, -87.6540  # 250 m east of 1200 W Madison, the nearest point
    assert 240 < distance_m(lat, long, *W_MADISON_1200) < 260

    result = AddressPointGeocoder().reverse(lat, long)

    assert result is not None
    assert result.address == "1200 W Madison St"


def test_reverse_finds_nothing_far_from_any_address(madison: dict[str, AddressPoint]) -> None:
    assert AddressPointGeocoder().reverse(41.8900, -87.6300) is None  # ~2.5 km away


def test_an_address_id_leads_back_to_its_address(madison: dict[str, AddressPoint]) -> None:
    geocoder = AddressPointGeocoder()
    point = madison["1200 W Monroe St"]

    result = geocoder.by_address_id(str(point.pk))

    assert result is not None
    assert (result.address, result.lat, result.long) == ("1200 W Monroe St", *W_MONROE_1200)
    assert geocoder.by_address_id("not-a-number") is None
    assert geocoder.by_address_id(str(point.pk + 1000)) is None


# --- Importing address points ------------------------------------------------------------------


def test_importing_an_address_again_updates_it(madison: dict[str, AddressPoint]) -> None:
    count = import_address_points([("1200 WEST MADISON STREET", 41.8820, -87.6570, "60612")])

    assert count == 1
    assert AddressPoint.objects.count() == 4
    point = AddressPoint.objects.get(key="1200 W MADISON ST")
    assert (point.address, point.lat, point.zipcode) == (
        "1200 WEST MADISON STREET",
        41.8820,
        "60612",
    )
    assert point.pk == madison["1200 W Madison St"].pk


def test_importing_stores_the_cell_each_address_is_in(db: None) -> None:
    import_address_points([("1200 W Madison St", *W_MADISON_1200, "")])

    point = AddressPoint.objects.get()
    assert point.key == "1200 W MADISON ST"
    assert point.h3_r9 == cells_for(*W_MADISON_1200)[0]


def test_importing_many_addresses_writes_them_in_batches(db: None) -> None:
    rows = [(f"{n} W Madison St", 41.88196, -87.62787 - n * 0.0000242625, "") for n in range(2500)]

    assert import_address_points(rows) == 2500
    assert AddressPoint.objects.count() == 2500


def test_importing_impossible_coordinates_is_refused(db: None) -> None:
    with pytest.raises(ValueError, match="impossible coordinates"):
        import_address_points([("1200 W Madison St", 141.0, -87.65, "")])


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "addresses.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_import_command_loads_a_csv_file(db: None, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "address,lat,long,zipcode\n"
        "1200 W Madison St,41.88196,-87.656985,60607\n"
        '"1300 W Madison St, Chicago",41.88196,-87.659411,60607\n',
    )
    out = io.StringIO()

    call_command("import_address_points", str(path), stdout=out)

    assert "Loaded 2 address points" in out.getvalue()
    assert sorted(AddressPoint.objects.values_list("key", "zipcode")) == [
        ("1200 W MADISON ST", "60607"),
        ("1300 W MADISON ST", "60607"),
    ]


def test_the_import_command_reads_a_citys_own_column_names(db: None, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "\ufeffFULL_ADDRESS,Y,X,ZIP5\n1200 W Madison St,41.88196,-87.656985,60607\n",
    )

    call_command(
        "import_address_points",
        str(path),
        "--address-column=FULL_ADDRESS",
        "--lat-column=Y",
        "--long-column=X",
        "--zip-column=ZIP5",
        stdout=io.StringIO(),
    )

    point = AddressPoint.objects.get()
    assert (point.address, point.long, point.zipcode) == ("1200 W Madison St", -87.656985, "60607")


def test_the_import_command_names_a_missing_column(db: None, tmp_path: Path) -> None:
    path = _write(tmp_path, "address,latitude,long\n1200 W Madison St,41.88196,-87.656985\n")

    with pytest.raises(CommandError, match=r"no column named 'lat'.*'latitude'"):
        call_command("import_address_points", str(path), stdout=io.StringIO())
    assert not AddressPoint.objects.exists()


def test_the_import_command_names_the_line_of_a_bad_number(db: None, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "address,lat,long\n1200 W Madison St,41.88196,-87.656985\n1300 W Madison St,41.8x,-87.66\n",
    )

    with pytest.raises(CommandError, match=r"line 3: lat '41.8x' is not a number"):
        call_command("import_address_points", str(path), stdout=io.StringIO())
    assert not AddressPoint.objects.exists()  # nothing half-loaded


def test_the_import_command_says_when_the_file_is_missing(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_address_points", str(tmp_path / "nope.csv"), stdout=io.StringIO())


# --- Choosing a geocoder ---------------------------------------------------------------------


def test_the_default_geocoder_uses_the_address_points(settings: Settings) -> None:
    settings.GEOCODER = "address_points"

    assert isinstance(get_geocoder(), AddressPointGeocoder)
    assert get_geocoder() is get_geocoder()


def test_an_http_geocoder_needs_its_address(settings: Settings) -> None:
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_URL = ""

    with pytest.raises(ImproperlyConfigured, match="GEOCODER=nominatim needs GEOCODER_URL"):
        get_geocoder()


def test_an_http_geocoder_refuses_an_address_that_is_not_http(settings: Settings) -> None:
    settings.GEOCODER = "pelias"
    settings.GEOCODER_URL = "file:///etc/passwd"

    with pytest.raises(ImproperlyConfigured, match="must be an http"):
        get_geocoder()


def test_an_http_geocoder_is_built_from_the_settings(settings: Settings) -> None:
    settings.GEOCODER = "pelias"
    settings.GEOCODER_URL = "https://pelias.example.org/"
    settings.GEOCODER_TIMEOUT_SECONDS = 1.5

    geocoder = get_geocoder()

    assert isinstance(geocoder, HttpGeocoder)
    assert (geocoder.base_url, geocoder.flavour, geocoder.timeout) == (
        "https://pelias.example.org",
        "pelias",
        1.5,
    )


# --- HTTP geocoders, against a real local server -------------------------------------------------


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    slow: bool = False  # hold the request until the test ends, so the client times out


@dataclass
class FakeService:
    base_url: str
    answers: dict[str, Answer] = field(default_factory=dict)
    seen: list[tuple[str, dict[str, list[str]], str]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def answer(self, path: str, data: object, status: int = 200) -> None:
        self.answers[path] = Answer(status=status, body=json.dumps(data).encode())


class _Server(ThreadingHTTPServer):
    # Join handler threads on close, so no request outlives its test.
    daemon_threads = False
    service: FakeService


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        service = self.server.service
        parts = urlsplit(self.path)
        service.seen.append((parts.path, parse_qs(parts.query), self.headers.get("User-Agent", "")))
        answer = service.answers.get(parts.path, Answer(status=404, body=b"{}"))
        if answer.slow:
            service.release.wait(10)
            return
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean


@pytest.fixture
def service() -> Iterator[FakeService]:
    server = _Server(("127.0.0.1", 0), _Handler)
    host, port = server.server_address[:2]
    server.service = FakeService(base_url=f"http://{host!s}:{port}")
    # A short poll interval: shutdown() waits up to one interval.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server.service
    finally:
        server.service.release.set()
        server.shutdown()
        server.server_close()
        thread.join()


NOMINATIM_PLACE = {
    "place_id": 123,
    "lat": "41.8819600",
    "lon": "-87.6569850",
    "display_name": "1200, West Madison Street, Near West Side, Chicago, Cook County, Illinois, "
    "60607, United States",
    "address": {
        "house_number": "1200",
        "road": "West Madison Street",
        "city": "Chicago",
        "postcode": "60607",
    },
}


def _pelias(*features: tuple[float, float, str, str]) -> dict[str, object]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [long, lat]},
                "properties": {"label": label, "postalcode": zipcode},
            }
            for lat, long, label, zipcode in features
        ],
    }


def test_nominatim_finds_an_address(service: FakeService) -> None:
    service.answer("/search", [NOMINATIM_PLACE])
    geocoder = HttpGeocoder(service.base_url + "/", "nominatim", timeout=2)

    result = geocoder.geocode("1200 W Madison St")

    assert result == GeocodeResult(
        address="1200 West Madison Street", lat=41.88196, long=-87.656985, zipcode="60607"
    )
    path, query, user_agent = service.seen[0]
    assert path == "/search"
    assert query == {
        "q": ["1200 W Madison St"],
        "format": ["jsonv2"],
        "limit": ["1"],
        "addressdetails": ["1"],
    }
    assert user_agent == "Civic311 geocoder"


def test_nominatim_finds_the_address_at_a_point(service: FakeService) -> None:
    service.answer("/reverse", NOMINATIM_PLACE)
    geocoder = HttpGeocoder(service.base_url, "nominatim", timeout=2)

    result = geocoder.reverse(41.88196, -87.656985)

    assert result is not None
    assert (result.address, result.zipcode) == ("1200 West Madison Street", "60607")
    path, query, _ = service.seen[0]
    assert path == "/reverse"
    assert query["lat"] == ["41.88196"]
    assert query["lon"] == ["-87.656985"]
    assert query["format"] == ["jsonv2"]


def test_nominatim_with_no_match_finds_nothing(service: FakeService) -> None:
    service.answer("/search", [])
    service.answer("/reverse", {"error": "Unable to geocode"})
    geocoder = HttpGeocoder(service.base_url, "nominatim", timeout=2)

    assert geocoder.geocode("1200 W Nowhere St") is None
    assert geocoder.reverse(41.7, -87.3) is None
    assert geocoder.by_address_id("1") is None


def test_pelias_finds_an_address_and_the_address_at_a_point(service: FakeService) -> None:
    feature = (41.88196, -87.656985, "1200 W Madison St, Chicago, IL, USA", "60607")
    service.answer("/v1/search", _pelias(feature))
    service.answer("/v1/reverse", _pelias(feature))
    geocoder = HttpGeocoder(service.base_url, "pelias", timeout=2)

    found = geocoder.geocode("1200 W Madison St")
    at_point = geocoder.reverse(41.88196, -87.656985)

    expected = GeocodeResult(
        address="1200 W Madison St, Chicago, IL, USA",
        lat=41.88196,
        long=-87.656985,
        zipcode="60607",
    )
    assert found == expected
    assert at_point == expected
    (search_path, search_query, _), (reverse_path, reverse_query, _) = service.seen
    assert (search_path, search_query) == (
        "/v1/search",
        {"text": ["1200 W Madison St"], "size": ["1"]},
    )
    assert reverse_path == "/v1/reverse"
    assert reverse_query == {"point.lat": ["41.88196"], "point.lon": ["-87.656985"], "size": ["1"]}


def test_pelias_with_no_match_finds_nothing(service: FakeService) -> None:
    service.answer("/v1/search", _pelias())
    geocoder = HttpGeocoder(service.base_url, "pelias", timeout=2)

    assert geocoder.geocode("1200 W Nowhere St") is None


@pytest.mark.parametrize("flavour", ["nominatim", "pelias"])
def test_a_server_error_makes_the_geocoder_unavailable(service: FakeService, flavour: str) -> None:
    for path in ("/search", "/v1/search"):
        service.answer(path, {"error": "overloaded"}, status=500)
    geocoder = HttpGeocoder(service.base_url, "pelias" if flavour == "pelias" else "nominatim", 2)

    with pytest.raises(GeocoderUnavailable, match="HTTP 500"):
        geocoder.geocode("1200 W Madison St")


def test_an_answer_that_is_not_json_makes_the_geocoder_unavailable(service: FakeService) -> None:
    service.answers["/search"] = Answer(body=b"<html>Bad gateway</html>")
    geocoder = HttpGeocoder(service.base_url, "nominatim", timeout=2)

    with pytest.raises(GeocoderUnavailable, match="not JSON"):
        geocoder.geocode("1200 W Madison St")


def test_an_answer_of_the_wrong_shape_makes_the_geocoder_unavailable(service: FakeService) -> None:
    service.answer("/search", [{"lat": "north", "lon": "-87.6"}])
    service.answer("/v1/search", {"features": [{"geometry": {"coordinates": [1]}}]})

    with pytest.raises(GeocoderUnavailable, match="coordinates"):
        HttpGeocoder(service.base_url, "nominatim", timeout=2).geocode("x")
    with pytest.raises(GeocoderUnavailable, match="coordinates"):
        HttpGeocoder(service.base_url, "pelias", timeout=2).geocode("x")


def test_a_slow_service_makes_the_geocoder_unavailable(service: FakeService) -> None:
    service.answers["/v1/search"] = Answer(slow=True)
    geocoder = HttpGeocoder(service.base_url, "pelias", timeout=0.2)

    with pytest.raises(GeocoderUnavailable):
        geocoder.geocode("1200 W Madison St")


def test_a_service_that_is_not_running_makes_the_geocoder_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    geocoder = HttpGeocoder(f"http://127.0.0.1:{port}", "nominatim", timeout=2)

    with pytest.raises(GeocoderUnavailable):
        geocoder.reverse(41.88, -87.63)


def test_the_geocoders_share_one_interface(madison: dict[str, AddressPoint]) -> None:
    # What callers rely on: any geocoder the settings pick answers the same three questions.
    calls: list[Callable[[], GeocodeResult | None]] = [
        lambda: get_geocoder().geocode("1200 W Madison St"),
        lambda: get_geocoder().reverse(*W_MADISON_1200),
        lambda: get_geocoder().by_address_id(str(madison["1200 W Madison St"].pk)),
    ]
    results = [call() for call in calls]

    assert {result.address for result in results if result} == {"1200 W Madison St"}
