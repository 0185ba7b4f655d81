"""The demands layer on the 红色地图, offline (no tiles): a layer per category of the open demands, each
switched off and on in the layer control, on a phone and a desktop; no personal data in the popups."""

import pytest
from playwright.sync_api import expect

from members.models import Role
from services import demands as ops
from tests.browser.test_map import offline
from tests.factories import (
    CommunityFactory,
    DemandCategoryFactory,
    DemandFactory,
    ResidentFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)
MARKERS = "path.leaflet-interactive"


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_categories_are_layers_that_toggle(live_server, request, screenshot, viewport):
    page = request.getfixturevalue(viewport)
    community = CommunityFactory(latitude=31.30, longitude=120.60)
    staff = StaffFactory(role=Role.COMMUNITY_STAFF, area=community)
    resident = ResidentFactory(community=community, name="李阿姨")
    lamp, bikes = DemandCategoryFactory(name="设施维修"), DemandCategoryFactory(name="环境秩序")
    for category in (lamp, lamp, bikes):
        ops.accept(demand=DemandFactory(resident=resident, category=category), by=staff)
    offline(page, live_server)
    page.goto(f"{live_server.url}/demands/map/")
    expect(page.locator("#demands-status")).to_have_attribute("data-loaded", "3")
    expect(page.locator(MARKERS)).to_have_count(3)
    control = page.locator(".leaflet-control-layers")
    if viewport == "phone_page":  # collapsed on a phone, so it doesn't cover the map: opened on touch
        control.hover()
    lamp_box = control.get_by_text("设施维修（2）")
    lamp_box.click()
    expect(page.locator(MARKERS)).to_have_count(1)
    screenshot(page, f"demand-map-{viewport}", full_page=False)
    lamp_box.click()
    expect(page.locator(MARKERS)).to_have_count(3)
    page.locator(MARKERS).first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_be_visible()
    assert "李阿姨" not in popup.inner_text() and resident.user.phone not in page.content()
