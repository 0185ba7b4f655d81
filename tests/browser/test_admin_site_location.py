"""A staff member picks a site's location on the admin's map: clicking sets the latitude/longitude."""

import pytest

from tests.factories import SiteFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


def block_tiles(page):
    # Tiles never load in tests (no internet): answer at once instead of waiting for a timeout.
    page.route("**/*.png", lambda route: route.abort() if "tile" in route.request.url else route.continue_())


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_clicking_the_map_sets_the_numbers(live_server, request, login, screenshot, viewport):
    browser_page = request.getfixturevalue(viewport)
    site = SiteFactory(name="道前社区党群服务站", latitude="31.305200", longitude="120.610100")
    staff = StaffFactory(area=site.area)
    block_tiles(browser_page)
    login(browser_page, staff)
    browser_page.goto(f"{live_server.url}/admin/sites/site/{site.pk}/change/")
    latitude, longitude = browser_page.locator("#id_latitude"), browser_page.locator("#id_longitude")
    assert latitude.input_value() == "31.305200"
    marker = browser_page.locator(".location-picker .leaflet-marker-icon")
    marker.wait_for()
    picker = browser_page.locator(".location-picker")
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    browser_page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.2)
    new_lat, new_lng = float(latitude.input_value()), float(longitude.input_value())
    assert new_lat > 31.3052 and new_lng > 120.6101  # up and to the right of the old point
    assert abs(new_lat - 31.3052) < 0.05 and abs(new_lng - 120.6101) < 0.05

    # Typing numbers moves the marker back.
    before = marker.bounding_box()
    latitude.fill("31.300000")
    longitude.fill("120.600000")
    browser_page.wait_for_timeout(400)
    assert marker.bounding_box() != before
    screenshot(browser_page, f"admin-site-location-{'desktop' if viewport == 'page' else 'phone'}")

    browser_page.click("input[name=_continue]")
    site.refresh_from_db()
    assert str(site.latitude) == "31.300000" and str(site.longitude) == "120.600000"
