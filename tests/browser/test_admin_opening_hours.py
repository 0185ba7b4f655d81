"""Staff edit a site's opening hours in the admin: rows per weekday, at a desk and on a 375-px phone."""

import pytest
from playwright.sync_api import expect

from sites.opening_hours import WEEKDAYS
from tests.factories import SiteFactory, StaffFactory, VenueRulesFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_staff_edit_hours_with_a_lunch_break_and_a_closed_day(
    live_server, request, login, screenshot, viewport
):
    page = request.getfixturevalue(viewport)
    name = "desktop" if viewport == "page" else "phone"
    week = {day: [["09:00", "17:00"]] if day not in ("sat", "sun") else [] for day in WEEKDAYS}
    site = SiteFactory(name="道前社区党群服务站", opening_hours=week)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live_server.url) else r.abort())
    login(page, StaffFactory(area=site.area))
    page.goto(f"{live_server.url}/admin/sites/site/{site.pk}/change/")

    editor = page.locator(".opening-hours")
    editor.scroll_into_view_if_needed()
    expect(page.get_by_label("周一时段一开始")).to_have_value("09:00")
    expect(page.locator("#id_opening_hours_sat_closed")).to_be_checked()
    # Nothing of the editor sticks out of the screen: on a phone the second span wraps under the first.
    # (At 1280 px the page itself is wider, 1391 px, because of the rooms inline table, not this editor.)
    width = page.viewport_size["width"]
    table = editor.locator("table").bounding_box()
    assert table["x"] >= 0 and table["x"] + table["width"] <= width
    if viewport == "phone_page":
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_label("周一时段一结束").fill("11:30")
    page.get_by_label("周一时段二开始").fill("13:30")
    page.get_by_label("周一时段二结束").fill("17:30")
    page.locator("#id_opening_hours_fri_closed").check()
    page.locator("#id_opening_hours_sat_closed").uncheck()
    page.get_by_label("周六时段一开始").fill("09:00")
    page.get_by_label("周六时段一结束").fill("12:00")
    editor.screenshot(path=str(screenshot(page, f"admin-opening-hours-{name}").with_suffix(".editor.png")))
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    site.refresh_from_db()
    assert site.opening_hours == {
        **week,
        "mon": [["09:00", "11:30"], ["13:30", "17:30"]],
        "fri": [],
        "sat": [["09:00", "12:00"]],
    }

    # A mistake: the form comes back with the message in Chinese and the staff's own times.
    page.get_by_label("周三时段一开始").fill("18:00")
    page.get_by_label("周三时段一结束").fill("08:00")
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    expect(page.locator(".errorlist")).to_contain_text("周三：结束时间必须晚于开始时间（18:00–08:00）。")
    expect(page.get_by_label("周三时段一开始")).to_have_value("18:00")
    expect(page.get_by_label("周一时段二开始")).to_have_value("13:30")
    page.locator(".field-opening_hours").scroll_into_view_if_needed()
    screenshot(page, f"admin-opening-hours-error-{name}")
    page.locator(".field-opening_hours").screenshot(
        path=str(screenshot(page, f"admin-opening-hours-error-{name}").with_suffix(".editor.png"))
    )
    site.refresh_from_db()
    assert site.opening_hours["wed"] == [["09:00", "17:00"]]


def test_a_room_follows_its_sites_hours_until_staff_give_it_its_own(live_server, page, login, screenshot):
    rules = VenueRulesFactory(opening_hours=None)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live_server.url) else r.abort())
    login(page, StaffFactory(area=rules.venue.site.area))
    page.goto(f"{live_server.url}/admin/services/venuerules/{rules.pk}/change/")
    inherit = page.get_by_label("按所属阵地的开放时间")
    expect(inherit).to_be_checked()
    expect(page.locator(".opening-hours table")).to_be_hidden()  # CSS alone hides the rows
    inherit.uncheck()
    expect(page.locator(".opening-hours table")).to_be_visible()
    for day in ("周一", "周二", "周三", "周四", "周五", "周六", "周日"):
        page.get_by_role("row", name=day).get_by_label("休息").check()
    page.get_by_role("row", name="周五").get_by_label("休息").uncheck()
    page.get_by_label("周五时段一开始").fill("1800")
    page.get_by_label("周五时段一结束").fill("21:00")
    page.locator(".field-opening_hours").screenshot(
        path=str(screenshot(page, "admin-venue-rules-hours").with_suffix(".editor.png"))
    )
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    rules.refresh_from_db()
    assert rules.opening_hours == {day: [["18:00", "21:00"]] if day == "fri" else [] for day in WEEKDAYS}
    expect(page.get_by_label("周五时段一开始")).to_have_value("18:00")
