"""The lookup form finds a request however its number was typed, and says so kindly when not."""

from __future__ import annotations

import pytest
from django.test import Client

from civic311.resident.tests.conftest import Report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    [
        "{number}",
        " {year} {serial} ",
        "{year}{padded}",
        "{serial}",
        "#{number}",
        "{year}.{serial}",
    ],
)
def test_a_sloppily_typed_number_redirects_to_the_canonical_page(
    client: Client, report: Report, typed: str
) -> None:
    sr = report()
    year, padded = sr.tracking_number.split("-")
    text = typed.format(
        number=sr.tracking_number, year=year, padded=padded, serial=str(int(padded))
    )

    response = client.get("/track/", {"number": text})

    assert response.status_code == 302
    assert response["Location"] == f"/track/{sr.tracking_number}"


def test_the_page_answers_with_and_without_a_trailing_slash(client: Client, report: Report) -> None:
    sr = report()

    assert client.get(f"/track/{sr.tracking_number}").status_code == 200
    assert client.get(f"/track/{sr.tracking_number}/").status_code == 200


def test_a_number_typed_into_the_address_bar_redirects_too(client: Client, report: Report) -> None:
    sr = report()

    response = client.get(f"/track/{sr.tracking_number.replace('-', '')}")

    assert (response.status_code, response["Location"]) == (302, f"/track/{sr.tracking_number}")


def test_an_unknown_number_is_a_friendly_404_with_the_form_again(
    client: Client, report: Report
) -> None:
    report()

    response = client.get("/track/", {"number": "26-09999999"})

    assert response.status_code == 404
    html = response.content.decode()
    assert 'We could not find request “<span class="nowrap">26-09999999</span>”.' in html
    assert 'name="number"' in html and 'value="26-09999999"' in html


def test_an_unknown_page_is_a_404_with_the_form(client: Client, services: object) -> None:
    response = client.get("/track/26-09999999")

    assert response.status_code == 404
    assert 'name="number"' in response.content.decode()


def test_the_empty_form_is_a_page_of_its_own(client: Client, services: object) -> None:
    response = client.get("/track/")

    assert response.status_code == 200
    assert '<label for="id_number">Tracking number</label>' in response.content.decode()


def test_the_home_page_links_to_the_lookup_and_to_each_recent_request(
    client: Client, report: Report
) -> None:
    sr = report()

    html = client.get("/").content.decode()

    assert 'action="/track/"' in html
    assert f'<a href="/track/{sr.tracking_number}">{sr.tracking_number}</a>' in html
