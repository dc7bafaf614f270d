"""Discovery, the service list and service definitions, in JSON and XML."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.georeport.tests.conftest import assert_valid, parse_xml
from civic311.testing import Services

pytestmark = pytest.mark.django_db


def test_discovery_lists_the_endpoint_in_both_formats(api: Client, services: Services) -> None:
    data = api.get("/open311/v2/discovery.json").json()
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = data["endpoints"][0]
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert {e["type"] for e in data["endpoints"]} == {"production", "test"}

    root = parse_xml(api.get("/open311/v2/discovery.xml").content)
    assert root.tag == "discovery"
    formats = root.findall("endpoints/endpoint/formats/format")
    assert [f.text for f in formats][:2] == ["text/xml", "application/json"]


def test_the_changeset_moves_when_a_service_changes(api: Client, services: Services) -> None:
    before = api.get("/open311/v2/discovery.json").json()["changeset"]
    services.pothole.description = "A hole in the street."
    services.pothole.save()
    assert api.get("/open311/v2/discovery.json").json()["changeset"] >= before


def test_services_in_json_match_the_open311_schema(api: Client, services: Services) -> None:
    response = api.get("/open311/v2/services.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = response.json()
    assert_valid(data, "services")
    by_code = {s["service_code"]: s for s in data}
    assert by_code["pothole"] == {
        "service_code": "pothole",
        "service_name": "Pothole in Street",
        "description": None,
        "metadata": True,
        "type": "realtime",
        "keywords": None,
        "group": "Streets",
    }
    assert by_code["street_light"]["metadata"] is False


def test_services_in_xml_element_by_element(api: Client, services: Services) -> None:
    response = api.get("/open311/v2/services.xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = parse_xml(response.content)
    assert root.tag == "services"
    service = next(s for s in root.findall("service") if s.findtext("service_code") == "pothole")
    assert [child.tag for child in service] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert service.findtext("metadata") == "true"
    assert service.findtext("description") == ""  # absent values are empty elements


def test_a_service_definition_has_every_question_and_its_values(
    api: Client, services: Services
) -> None:
    data = api.get("/open311/v2/services/graffiti.json").json()
    assert_valid(data, "service-definition")
    codes = [a["code"] for a in data["attributes"]]
    assert codes == ["surface", "offensive", "seen_at", "where_on_building", "details"]
    surface = data["attributes"][0]
    assert (surface["datatype"], surface["required"], surface["variable"]) == (
        "multivaluelist",
        True,
        True,
    )
    assert surface["values"] == [
        {"key": "brick", "name": "Brick"},
        {"key": "metal", "name": "Metal"},
        {"key": "glass", "name": "Glass"},
    ]
    assert data["attributes"][2]["values"] == []

    root = parse_xml(api.get("/open311/v2/services/graffiti.xml").content)
    assert root.tag == "service_definition"
    values = root.findall("attributes/attribute/values/value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values][:2] == [
        ("brick", "Brick"),
        ("metal", "Metal"),
    ]
    empty = root.findall("attributes/attribute")[2].find("values")
    assert empty is not None and list(empty) == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_is_a_404_in_the_open311_error_format(
    api: Client, services: Services, fmt: str
) -> None:
    response = api.get(f"/open311/v2/services/unicorn.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        [error] = response.json()
        assert error["code"] == 404 and "unicorn" in error["description"]
    else:
        root = parse_xml(response.content)
        assert root.tag == "errors" and root.findtext("error/code") == "404"


def test_a_matching_jurisdiction_is_accepted_and_another_is_a_404(
    api: Client, services: Services
) -> None:
    assert api.get("/open311/v2/services.json?jurisdiction_id=testcity.gov").status_code == 200
    assert api.get("/open311/v2/services.json?jurisdiction_id=").status_code == 200
    assert api.get("/open311/v2/services.json?jurisdiction_id=boston.gov").status_code == 404


def test_reads_are_open_to_browsers_on_other_sites(api: Client, services: Services) -> None:
    response = api.get("/open311/v2/services.json", HTTP_ORIGIN="https://app.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = api.options("/open311/v2/requests.json", HTTP_ORIGIN="https://app.example")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, OPTIONS"


def test_an_unknown_call_or_format_is_a_404(api: Client, services: Services) -> None:
    assert api.get("/open311/v2/services.csv").status_code == 404
    assert api.get("/open311/v2/nothing.json").json()[0]["code"] == 404
