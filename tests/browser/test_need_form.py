"""录入需求 on a phone in Chromium, tiles unreachable: community staff type a need, pick its spot on the
map, add two photos, publish; the need's page shows the photos and the suggested resource with its
distance; they set it aside (不再推荐) and take that back; the resource's page lists the need."""

import pytest
from playwright.sync_api import expect

from services.models import Need, NeedStatus
from tests.factories import (
    JPEG_BYTES,
    CommunityFactory,
    ResourceFactory,
    StaffFactory,
    TownFactory,
    UnitFactory,
)

from .test_map import offline

pytestmark = pytest.mark.django_db(transaction=True)


def test_record_a_need_on_a_phone_then_dismiss_and_restore_a_suggestion(
    live_server, phone_page, page, login, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    town = TownFactory(name="双塔街道", latitude="31.296000", longitude="120.628000")
    community = CommunityFactory(name="道前社区", parent=town, latitude="31.296000", longitude="120.628000")
    staff = StaffFactory(area=community)
    unit = UnitFactory(name="苏州市会议中心", area=community, paired_street=town)
    resource = ResourceFactory(
        organization=unit,
        title="“苏会党员”便民维修",
        kind="repair",
        latitude="31.297000",
        longitude="120.628000",
    )
    offline(phone_page, live_server)
    login(phone_page, staff)
    phone_page.goto(f"{live_server.url}/needs/new/")
    phone_page.fill("#id_title", "便民维修")
    phone_page.select_option("#id_kind", "repair")
    phone_page.fill("#id_quantity", "12")
    phone_page.fill("#id_unit", "次")
    phone_page.locator(".location-picker").click(position={"x": 60, "y": 60})
    assert phone_page.input_value("#id_latitude") not in ("", "31.296000")  # the click moved the point
    phone_page.fill("#id_latitude", "31.296000")  # typed numbers win, without the map too
    phone_page.fill("#id_longitude", "120.628000")
    photo = {"mimeType": "image/jpeg", "buffer": JPEG_BYTES}
    phone_page.set_input_files("#id_photos", [{"name": "a.jpg", **photo}, {"name": "b.jpg", **photo}])
    screenshot(phone_page, "need-form-phone")
    phone_page.get_by_role("button", name="发布", exact=True).click()
    phone_page.wait_for_load_state()

    need = Need.objects.get(title="便民维修")
    assert need.status == NeedStatus.PUBLISHED and need.photos.count() == 2
    expect(phone_page.locator("h1")).to_have_text("便民维修")
    expect(phone_page.locator(".need-photo")).to_have_count(2)
    item = phone_page.locator(".suggestion-item").first
    expect(item).to_contain_text("“苏会党员”便民维修")
    expect(item).to_contain_text("约 111 米")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    screenshot(phone_page, "need-detail-suggestions-phone")
    item.locator("input[name=reason]").fill("已由物业维修")
    item.get_by_role("button", name="不再推荐").click()
    phone_page.wait_for_load_state()
    expect(phone_page.locator(".messages")).to_contain_text("不再推荐给此需求")
    expect(phone_page.locator("#suggestions")).to_contain_text("已由物业维修")
    phone_page.get_by_role("button", name="恢复推荐").click()
    phone_page.wait_for_load_state()
    expect(phone_page.locator(".suggestion-item").first).to_contain_text("“苏会党员”便民维修")

    offline(page, live_server)
    page.goto(f"{live_server.url}/resources/{resource.pk}/")
    expect(page.locator(".suggestion-item").first).to_contain_text("便民维修")
    screenshot(page, "resource-detail-desktop")
    login(page, staff)
    page.goto(f"{live_server.url}/needs/{need.pk}/")
    screenshot(page, "need-detail-desktop")
    page.goto(f"{live_server.url}/needs/{need.pk}/edit/")
    screenshot(page, "need-edit-desktop")
