"""Reporting a problem in real Chromium (Playwright on /usr/bin/chromium), as a resident on a
phone would: with the map and a photo, with the keyboard only, in Spanish, without JavaScript,
after a mistake, and with the same problem already reported nearby. Screenshots of each step
are saved at phone and desktop sizes (var/screenshots/report-*)."""

from __future__ import annotations

from typing import Any

import pytest

from civic311.resident.tests.browser import new_page, screenshots_at_both_sizes
from civic311.resident.tests.conftest import MADISON_1200, Report
from civic311.service_requests.models import ServiceRequest
from civic311.testing import images

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _offline_tiles(settings: Any, live_server: Any, media_root: Any) -> None:
    # Tiles that fail to load: the form must work all the same, and nothing may come from
    # another host. The map opens on a known address.
    settings.MAP_TILE_URL = f"{live_server.url}/no-tiles/{{z}}/{{x}}/{{y}}.png"
    settings.MAP_CENTER = MADISON_1200


def photo_file(tmp_path: Any) -> str:
    path = tmp_path / "pothole.jpg"
    path.write_bytes(images.phone_photo())
    return str(path)


def test_a_resident_reports_a_pothole_with_a_pin_two_answers_and_a_photo(
    browser: Any, live_server: Any, services: Any, addresses: None, tmp_path: Any
) -> None:
    page = new_page(browser, live_server)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Report a problem").first.click()
    page.get_by_label("Search the kinds of problem").fill("pothole")
    assert page.get_by_role("link", name="Graffiti Removal").is_hidden()  # filtered as typed
    screenshots_at_both_sizes(page, "report-choose")
    page.get_by_role("link", name="Pothole in Street").click()
    page.wait_for_url("**/report/pothole/")

    # The pin: tap the map a little west of its middle; the map centres there.
    canvas = page.locator("#report-map")
    canvas.wait_for(state="visible")
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 - 20, box["y"] + box["height"] / 2)
    found = page.locator("#place-found")
    found.filter(has_text="Ward 1 · Near West Side").wait_for()
    address = page.get_by_label("Address or intersection").input_value()
    assert address.endswith("W Madison St")  # the nearest known address, filled in
    assert address in found.inner_text()
    assert page.locator("#id_point_for").input_value() == "pin"
    lat = float(page.locator("#id_lat").input_value())
    long = float(page.locator("#id_long").input_value())
    assert long < MADISON_1200[1]  # west of the middle

    page.get_by_label("In a crosswalk").check()
    page.get_by_label("Question depth_cm?").fill("15")
    page.get_by_label("Add up to 3 photos").set_input_files(photo_file(tmp_path))
    page.locator("#previews img").wait_for()
    page.get_by_label("Describe the problem (optional)").fill("Right in the crosswalk.")
    screenshots_at_both_sizes(page, "report-form")
    page.get_by_role("button", name="Send my report").click()

    page.wait_for_url("**/report/sent/**")
    number = page.locator("#tracking-number").inner_text()
    sr = ServiceRequest.objects.get(tracking_number=number)
    assert (round(sr.lat, 6), round(sr.long, 6)) == (lat, long)
    assert sr.answers == {"location": "crosswalk", "depth_cm": 15}
    assert sr.photos.count() == 1
    assert sr.channel == "web"
    screenshots_at_both_sizes(page, "report-sent")
    page.get_by_role("link", name="Track your request").click()
    page.wait_for_url(f"**/track/{number}")
    assert page.locator("h1").inner_text() == "Pothole in Street"
    assert page.elsewhere == []
    page.context.close()


def test_the_pin_can_be_placed_with_the_keyboard_alone(
    browser: Any, live_server: Any, services: Any, addresses: None
) -> None:
    page = new_page(browser, live_server, size="desktop")
    page.goto(f"{live_server.url}/report/street_light/")
    page.locator("#report-map").wait_for(state="visible")
    page.locator("#report-map").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.locator("#place-found").filter(has_text="Found:").wait_for()
    assert page.locator("#id_point_for").input_value() == "pin"
    long = float(page.locator("#id_long").input_value())
    assert long > MADISON_1200[1]  # the map moved east, and the pin with it
    page.get_by_role("button", name="Put the pin here").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Send my report").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/report/sent/**")
    assert ServiceRequest.objects.get().long == pytest.approx(long, abs=1e-6)
    page.context.close()


def test_the_same_problem_nearby_is_offered_and_following_it_works(
    browser: Any, live_server: Any, services: Any, addresses: None, report: Report
) -> None:
    earlier = report("pothole", where=(41.88200, -87.65700), description="Deep pothole")
    page = new_page(browser, live_server)
    page.goto(f"{live_server.url}/report/pothole/")
    page.get_by_label("Address or intersection").fill("1200 W Madison St")
    page.get_by_label("In the street").check()
    page.get_by_label("Email", exact=True).fill("neighbour@example.org")
    page.get_by_role("button", name="Send my report").click()

    offer = page.locator("#nearby")
    offer.wait_for()
    assert earlier.tracking_number in offer.inner_text()
    assert ServiceRequest.objects.count() == 1
    assert page.evaluate("document.activeElement.id") == "nearby"
    screenshots_at_both_sizes(page, "report-nearby-offer")
    assert offer.get_by_label("Your email address, for its updates").input_value() == (
        "neighbour@example.org"
    )
    offer.get_by_role("button", name="Follow this one instead").click()

    page.wait_for_url(f"**/track/{earlier.tracking_number}?following=1#follow")
    assert "Check your inbox" in page.locator("#follow").inner_text()
    assert ServiceRequest.objects.count() == 1  # no second report
    from civic311.notifications.models import Subscription

    assert Subscription.objects.get(request=earlier).address == "neighbour@example.org"
    page.context.close()


def test_the_same_flow_in_spanish(
    browser: Any, live_server: Any, services: Any, addresses: None, spanish_catalog: None
) -> None:
    page = new_page(browser, live_server)
    page.goto(f"{live_server.url}/report/")
    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Informar de un problema"
    page.get_by_role("link", name="Bache en la calle").click()
    page.wait_for_url("**/report/pothole/")
    assert page.locator("h1").inner_text() == "Bache en la calle"
    page.get_by_label("Dirección o cruce de calles").fill("1200 W Madison St")
    page.get_by_label("En un paso de peatones").check()
    page.get_by_label("¿Qué tan hondo es (cm)?").fill("8")
    screenshots_at_both_sizes(page, "report-form-es")
    page.get_by_role("button", name="Enviar mi reporte").click()

    page.wait_for_url("**/report/sent/**")
    assert "Gracias" in page.locator("h1").inner_text()
    number = page.locator("#tracking-number").inner_text()
    screenshots_at_both_sizes(page, "report-sent-es")
    sr = ServiceRequest.objects.get(tracking_number=number)
    assert sr.answers == {"location": "crosswalk", "depth_cm": 8}
    page.get_by_role("link", name="Seguir su solicitud").click()
    page.wait_for_url(f"**/track/{number}")
    assert page.locator("h1").inner_text() == "Bache en la calle"
    assert "Recibida" in page.locator("ol.timeline").inner_text()
    screenshots_at_both_sizes(page, "track-es")
    page.context.close()


def test_without_javascript_an_address_is_enough(
    browser: Any, live_server: Any, services: Any, addresses: None
) -> None:
    page = new_page(browser, live_server, java_script_enabled=False)
    page.goto(f"{live_server.url}/report/")
    page.get_by_label("Search the kinds of problem").fill("light")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Street Light Out").click()
    assert page.locator("#report-map").is_hidden()  # no map without JavaScript
    page.get_by_label("Address or intersection").fill("1300 W Madison St")
    screenshots_at_both_sizes(page, "report-form-nojs")
    page.get_by_role("button", name="Send my report").click()
    page.wait_for_url("**/report/sent/**")
    sr = ServiceRequest.objects.get()
    assert sr.address == "1300 W Madison St"
    page.context.close()


def test_a_mistake_keeps_what_was_typed(
    browser: Any, live_server: Any, services: Any, addresses: None, tmp_path: Any
) -> None:
    page = new_page(browser, live_server)
    page.goto(f"{live_server.url}/report/pothole/")
    page.get_by_label("Address or intersection").fill("1200 W Madison St")
    page.get_by_label("Question depth_cm?").fill("very deep")
    page.get_by_label("Add up to 3 photos").set_input_files(photo_file(tmp_path))
    page.get_by_label("Describe the problem (optional)").fill("Near the <b>bus stop</b>")
    page.get_by_label("Email", exact=True).fill("not-an-address")
    page.get_by_role("button", name="Send my report").click()

    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "Please answer: Question location?" in summary.inner_text()
    assert "“very deep” is not a number." in page.locator("#q-depth_cm-error").inner_text()
    assert "This is not an email address." in page.locator("#email-error").inner_text()
    assert page.get_by_label("Question depth_cm?").input_value() == "very deep"
    assert page.get_by_label("Describe the problem (optional)").input_value() == (
        "Near the <b>bus stop</b>"
    )
    assert "pothole.jpg (kept)" in page.locator("#photos").inner_text()
    screenshots_at_both_sizes(page, "report-errors")

    page.get_by_label("In the street").check()
    page.get_by_label("Question depth_cm?").fill("20")
    page.get_by_label("Email", exact=True).fill("ana@example.org")
    page.get_by_role("button", name="Send my report").click()
    page.wait_for_url("**/report/sent/**")
    sr = ServiceRequest.objects.get()
    assert sr.photos.count() == 1
    assert sr.description == "Near the <b>bus stop</b>"
    page.context.close()


def test_what_was_typed_survives_a_reload(
    browser: Any, live_server: Any, services: Any, addresses: None
) -> None:
    page = new_page(browser, live_server)
    page.goto(f"{live_server.url}/report/pothole/")
    page.get_by_label("In a crosswalk").check()
    page.get_by_label("Describe the problem (optional)").fill("Half typed")
    page.reload()
    assert page.get_by_label("Describe the problem (optional)").input_value() == "Half typed"
    assert page.get_by_label("In a crosswalk").is_checked()
    page.context.close()
