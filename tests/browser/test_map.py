"""The 红色地图 in Debian Chromium: markers from the API, filters and the URL, popups, 附近, a phone."""

import re

import pytest
from playwright.sync_api import expect

from sites.models import SiteTier
from tests.factories import CommunityFactory, DistrictFactory, SiteFactory, TownFactory, VenueFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city():
    """Two districts, eight sites about 10 km apart (so none cluster), one centre with rooms."""
    gusu = DistrictFactory(name="姑苏区", latitude="31.31", longitude="120.62")
    wuzhong = DistrictFactory(name="吴中区", parent=gusu.parent, latitude="31.22", longitude="120.63")
    sites = {}
    for i, (district, tier) in enumerate(
        [(gusu, SiteTier.CENTER), (gusu, SiteTier.STATION), (gusu, SiteTier.POINT), (gusu, SiteTier.STATION)]
        + [
            (wuzhong, SiteTier.CENTER),
            (wuzhong, SiteTier.STATION),
            (wuzhong, SiteTier.POINT),
            (wuzhong, SiteTier.POINT),
        ]
    ):
        area = CommunityFactory(parent=TownFactory(parent=district))
        name = f"{district.name}{i}号{tier.label}"
        sites[name] = SiteFactory(
            name=name,
            tier=tier,
            area=area,
            latitude=f"{31.2 + (i // 4) * 0.1:.6f}",
            longitude=f"{120.5 + (i % 4) * 0.1:.6f}",
            pioneer_batch=1 if i == 0 else None,
        )
    VenueFactory(site=sites["姑苏区0号党群服务中心"], name="多功能厅", capacity=80)
    return {"gusu": gusu, "wuzhong": wuzhong, "sites": sites}


def offline(page, live_server):
    """No tile server is reachable in tests (or on a bad day): only our own server answers."""
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
    )


def shown_sites(page):
    """Markers on the map: single sites plus the counts inside the clusters."""
    singles = page.locator(".site-marker").count()
    clusters = sum(int(t) for t in page.locator(".site-cluster").all_inner_texts())
    return singles + clusters


def test_map_draws_every_site_from_the_api_and_a_filter_narrows_it(live_server, page, city, screenshot):
    offline(page, live_server)
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_have_text("共 8 个阵地")
    assert shown_sites(page) == 8
    assert page.locator(".site-marker.tier-center").count() == 2
    assert page.locator(".site-marker.pioneer").count() == 1
    expect(page.locator(".district-label", has_text="姑苏区")).to_be_visible()  # the offline background
    screenshot(page, "map-desktop")

    page.select_option("#id_tier", "point")
    expect(page.locator("#map-status")).to_have_text("共 3 个阵地")
    assert shown_sites(page) == 3
    assert page.locator(".site-marker.tier-point").count() == 3
    assert re.search(r"\?tier=point$", page.url)

    page.select_option("#id_district", str(city["wuzhong"].pk))
    expect(page.locator("#map-status")).to_have_text("共 2 个阵地")
    assert f"district={city['wuzhong'].pk}" in page.url and "tier=point" in page.url
    # Town options follow the district, without a round trip.
    towns = page.locator("#id_town option").all_inner_texts()
    assert len(towns) == 5 and towns[0] == "全部"
    expect(page.locator("#list-link")).to_have_attribute("href", re.compile(r"/sites/\?.*tier=point"))
    # A few results are also listed by name.
    expect(page.locator("#result-list li")).to_have_count(2)

    # The URL reproduces the view when shared.
    page.goto(page.url)
    expect(page.locator("#map-status")).to_have_text("共 2 个阵地")
    expect(page.locator("#id_tier")).to_have_value("point")


def test_name_search_and_a_bad_query_say_what_happened(live_server, page, city):
    offline(page, live_server)
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_have_text("共 8 个阵地")
    page.fill("#id_q", "吴中区4号")
    expect(page.locator("#map-status")).to_have_text("共 1 个阵地")
    assert "q=" in page.url
    response = page.goto(live_server.url + "/?tier=castle")
    assert response.status == 400
    expect(page.locator(".form-errors")).to_contain_text("tier 参数应为")
    expect(page.locator("#map-status")).to_contain_text("tier 参数应为")


def test_popup_shows_name_tier_address_hours_rooms_and_link(live_server, page, city, screenshot):
    offline(page, live_server)
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_have_text("共 8 个阵地")
    page.locator(".site-marker[title='姑苏区0号党群服务中心']").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("姑苏区0号党群服务中心")
    expect(popup).to_contain_text("党群服务中心")
    expect(popup).to_contain_text("今日开放：")
    expect(popup).to_contain_text("多功能厅 · 可容纳 80 人")
    site = city["sites"]["姑苏区0号党群服务中心"]
    expect(popup).to_contain_text(site.address)
    screenshot(page, "map-popup-desktop")
    popup.get_by_text("查看详情").click()
    expect(page).to_have_url(live_server.url + site.get_absolute_url())
    expect(page.locator("h1")).to_have_text(site.name)


def test_nearby_lists_sites_within_a_walk_nearest_first(live_server, page, city):
    offline(page, live_server)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 31.2005, "longitude": 120.6005})  # ≈70 m from site 1
    SiteFactory(name="再远一点的站", latitude="31.205000", longitude="120.600000")  # ≈560 m
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_have_text("共 9 个阵地")
    page.click("#nearby-button")
    items = page.locator("#nearby-list li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("姑苏区1号党群服务站")
    expect(items.nth(0)).to_contain_text(re.compile(r"\d+ 米"))
    expect(items.nth(1)).to_contain_text("再远一点的站")
    expect(page.locator("#map-status")).to_have_text("附近 1 公里内有 2 个阵地")


def test_map_works_on_a_375_px_phone(live_server, phone_page, city, screenshot):
    page = phone_page
    offline(page, live_server)
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_have_text("共 8 个阵地")
    # Filters fold away; the map spans the screen; nothing scrolls sideways.
    assert page.locator("#filter-panel").get_attribute("open") is None
    box = page.locator("#site-map").bounding_box()
    assert box["width"] == pytest.approx(375, abs=1) and box["height"] > 400
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "map-phone")
    page.click("#filter-panel summary")
    page.select_option("#id_tier", "center")
    expect(page.locator("#map-status")).to_have_text("共 2 个阵地")
    screenshot(page, "map-phone-filters")
    page.locator(".site-marker").first.tap()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("党群服务中心")


def test_area_page_maps_only_its_sites(live_server, page, phone_page, city, screenshot):
    for p, name in ((page, "area-desktop"), (phone_page, "area-phone")):
        offline(p, live_server)
        p.goto(live_server.url + city["wuzhong"].get_absolute_url())
        expect(p.locator("#map-status")).to_have_text("共 4 个阵地")
        assert shown_sites(p) == 4
        screenshot(p, name)


def test_site_and_list_pages_look_right(live_server, page, phone_page, city, screenshot):
    site = city["sites"]["姑苏区0号党群服务中心"]
    for p, suffix in ((page, "desktop"), (phone_page, "phone")):
        offline(p, live_server)
        p.goto(live_server.url + site.get_absolute_url())
        expect(p.locator(".small-map .site-marker")).to_have_count(1)
        screenshot(p, f"site-{suffix}")
        p.goto(live_server.url + "/sites/?tier=station")
        expect(p.locator(".site-row")).to_have_count(3)
        screenshot(p, f"site-list-{suffix}")
        p.goto(live_server.url + "/areas/")
        screenshot(p, f"areas-{suffix}")
        assert p.evaluate("document.documentElement.scrollWidth") <= p.viewport_size["width"]
