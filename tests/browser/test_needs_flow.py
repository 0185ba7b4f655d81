"""双向认领 end to end in Chromium: a community publishes a need, a unit's staff claim it from the map,
the community accepts, turns it into a 为民服务 project, and the 公示 page shows the need and the unit."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import (
    CommunityFactory,
    DistrictFactory,
    NeedFactory,
    StaffFactory,
    TownFactory,
    UnitFactory,
    UserFactory,
)

from .test_map import offline

pytestmark = pytest.mark.django_db(transaction=True)


def press(page, label):
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()


def test_publish_claim_from_the_map_accept_project_gongshi(live_server, page, login, screenshot):
    town = TownFactory(name="双塔街道", parent=DistrictFactory(name="姑苏区"))
    community = CommunityFactory(name="沧浪亭社区", parent=town, latitude="31.296000", longitude="120.628000")
    staff = StaffFactory(area=community, last_name="沧浪亭社区工作人员")
    need = NeedFactory(community=community, by=staff, title="绿化修建", quantity=1, unit="项", publish=False)
    unit_staff = UserFactory(
        organization=UnitFactory(name="沧浪亭管理处", area=community, paired_street=town)
    )
    offline(page, live_server)

    login(page, staff)
    page.goto(f"{live_server.url}{need.get_absolute_url()}")
    press(page, "发布")
    expect(page.locator("#need-state")).to_have_text("已发布")
    page.context.clear_cookies()

    login(page, unit_staff)
    page.goto(f"{live_server.url}/needs/map/")
    expect(page.locator("#needs-status")).to_have_text("共 1 项需求")
    page.locator("path.leaflet-interactive").first.click()
    page.locator(".leaflet-popup .need-link").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("绿化修建")
    press(page, "认领")
    expect(page.locator(".messages")).to_contain_text("认领成功")
    screenshot(page, "need-claimed")
    page.context.clear_cookies()

    login(page, staff)
    page.goto(f"{live_server.url}/claims/")
    press(page, "确认认领")
    expect(page.locator(".messages")).to_contain_text("已确认认领")
    page.goto(f"{live_server.url}/projects/new/")
    page.locator("#from-claims input[name=budget]").fill("15000")
    press(page, "转为为民服务项目")
    expect(page.locator(".messages")).to_contain_text("由“沧浪亭管理处”的认领新建项目“绿化修建”")
    page.context.clear_cookies()

    page.goto(f"{live_server.url}/gongshi/{community.pk}/{timezone.localdate().year}/")
    expect(page.locator(".answered-needs")).to_have_text("绿化修建（认领单位：沧浪亭管理处）")
    screenshot(page, "gongshi-need-and-unit")
