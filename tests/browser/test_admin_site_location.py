"""A staff member picks a site's location on the admin's map: clicking sets the latitude/longitude."""

import math

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


GAODE_TILES = [
    (
        "高德地图",
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        {"subdomains": "1234", "crs": "gcj02"},
    )
]


def tip_on_the_tiles(page, marker):
    """The (lat, lng) on the tiles' own grid under the marker's tip, read from where the tiles are laid.

    Each tile is an <img> whose URL names its x/y at zoom z (the requests are refused, the elements stay);
    its on-screen box says which pixel of the Web-Mercator world is where, so the tip's world pixel and
    thus its coordinates in the tiles' datum follow without asking the script.
    """
    box = marker.bounding_box()
    tip_x, tip_y = box["x"] + box["width"] / 2, box["y"] + box["height"]
    tile = page.evaluate(
        """() => {
            const img = document.querySelector(".location-picker img.leaflet-tile");
            const r = img.getBoundingClientRect();
            const url = new URL(img.src);
            const get = (k) => Number(url.searchParams.get(k));
            return { x: get("x"), y: get("y"), z: get("z"), left: r.left, top: r.top, size: r.width };
        }"""
    )
    world = 256 * 2 ** tile["z"]
    px = tile["x"] * 256 + (tip_x - tile["left"]) * 256 / tile["size"]
    py = tile["y"] * 256 + (tip_y - tile["top"]) * 256 / tile["size"]
    lng = px / world * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * py / world))))
    return lat, lng


def test_on_gaode_tiles_the_marker_is_shifted_and_a_click_writes_wgs84(live_server, page, login, settings):
    settings.LEAFLET_CONFIG = {**settings.LEAFLET_CONFIG, "TILES": GAODE_TILES}
    settings.MAP_TILES_GCJ02 = True
    site = SiteFactory(latitude="31.305200", longitude="120.610100")
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live_server.url) else r.abort())
    login(page, StaffFactory(area=site.area))
    page.goto(f"{live_server.url}/admin/sites/site/{site.pk}/change/")
    marker = page.locator(".location-picker .leaflet-marker-icon")
    marker.wait_for()
    page.locator(".location-picker").scroll_into_view_if_needed()

    # On 高德 tiles the site is drawn at its GCJ-02 point, ≈240 m south and ≈400 m east of the WGS-84
    # numbers (static/js/gcj02.js gives 31.303018, 120.614271 here; tests/browser/test_gcj02.py checks it).
    lat, lng = tip_on_the_tiles(page, marker)
    assert abs(lat - 31.303018) < 0.00002 and abs(lng - 120.614271) < 0.00002, (lat, lng)

    # Clicking 40 px east of the tip (the marker itself takes its own clicks) writes WGS-84 numbers: the
    # same latitude as the site's, not the GCJ-02 one 0.0022° south, and ≈75 m (≈1.9 m per pixel) east.
    box = marker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"])
    latitude, longitude = page.locator("#id_latitude"), page.locator("#id_longitude")
    new_lat, new_lng = float(latitude.input_value()), float(longitude.input_value())
    assert abs(new_lat - 31.3052) < 0.00003, new_lat
    assert 60 < (new_lng - 120.6101) * 111_320 * math.cos(math.radians(31.3)) < 95, new_lng
    # …and the marker moved to the clicked spot on the tiles, 40 px east of where it was.
    assert marker.bounding_box()["x"] == pytest.approx(box["x"] + 40, abs=1)

    # Typing the original numbers back puts the marker back on its shifted spot.
    latitude.fill("31.305200")
    longitude.fill("120.610100")
    page.wait_for_timeout(300)
    assert marker.bounding_box() == pytest.approx(box, abs=1)
