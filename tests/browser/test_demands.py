"""The demand loop in a browser: a resident reports on a 375-px phone, staff dispatch, a party member
takes and resolves, the resident rates 不满意, it reopens, is resolved again and rated 满意; the figures
move. Each person has their own browser context (their own session)."""

import datetime as dt
from decimal import Decimal

import pytest

from members.models import CommunityReporting, Role
from services.models import Demand, DemandStatus
from tests.factories import (
    CommunityFactory,
    DemandCategoryFactory,
    MemberFactory,
    OrganizationFactory,
    ResidentFactory,
    StaffFactory,
    TownFactory,
    UserFactory,
)

from .conftest import _page

pytestmark = pytest.mark.django_db(transaction=True)


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("innerWidth")


def press(page, form_action, button):
    page.locator(f"form[action$='{form_action}/'] button[type=submit]", has_text=button).click()
    page.wait_for_load_state()


def test_report_dispatch_take_resolve_reopen_and_rate(live_server, browser, login, screenshot):
    community = CommunityFactory(
        name="道前社区",
        parent=TownFactory(name="沧浪街道"),
        latitude=Decimal("31.296"),
        longitude=Decimal("120.615"),
    )
    DemandCategoryFactory(name="设施维修", deadline_days=3)
    staff = StaffFactory(role=Role.COMMUNITY_STAFF, area=community, last_name="道前社区工作人员")
    resident = ResidentFactory(community=community, name="李阿姨")
    member = MemberFactory(name="周建华", organization=OrganizationFactory(area=community))
    member.user = UserFactory(role=Role.MEMBER)
    member.save(update_fields=["user"])
    CommunityReporting.objects.create(member=member, community=community, since=dt.date(2024, 1, 1))
    phone_context, phone = _page(
        browser, viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    staff_context, desk = _page(browser, viewport={"width": 1280, "height": 860})
    member_context, hand = _page(browser, viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        login(phone, resident.user)
        phone.goto(f"{live_server.url}/demands/new/")
        phone.select_option("select[name=category]", label="设施维修")
        phone.fill("input[name=title]", "楼道灯泡更换")
        phone.fill("textarea[name=description]", "三号楼二楼楼道灯坏了一个星期")
        fits(phone)
        screenshot(phone, "demand-new-phone")
        phone.get_by_role("button", name="提交").click()
        phone.wait_for_load_state()
        assert "已提交" in phone.content()
        demand = Demand.objects.get()
        url = f"{live_server.url}{demand.get_absolute_url()}"

        login(desk, staff)
        desk.goto(f"{live_server.url}/demands/inbox/")
        desk.get_by_role("link", name="楼道灯泡更换").click()
        press(desk, "accept", "受理")
        desk.select_option("select[name=member]", label="周建华")
        press(desk, "dispatch", "派单")
        assert "已派单" in desk.content()

        def take_and_resolve(note):
            hand.goto(url)
            press(hand, "take", "接单")
            hand.fill("form[action$='resolve/'] textarea[name=note]", note)
            press(hand, "resolve", "办结")
            assert "已办结" in hand.content()

        login(hand, member.user)
        take_and_resolve("已更换灯泡")
        phone.goto(url)
        phone.locator("label", has_text="不满意").click()
        press(phone, "evaluate", "提交评价")
        demand.refresh_from_db()
        assert (demand.status, demand.reopen_count) == (DemandStatus.DISPATCHED, 1)
        take_and_resolve("更换了开关和线路")
        phone.goto(url)
        phone.locator("label", has_text="基本满意").click()
        press(phone, "evaluate", "提交评价")
        assert "感谢您的评价" in phone.content()
        fits(phone)
        screenshot(phone, "demand-timeline-phone")
        demand.refresh_from_db()
        assert demand.status == DemandStatus.CLOSED

        desk.goto(f"{live_server.url}/demands/figures/")
        figures = desk.content()
        assert "100.0%" in figures  # 办结率 and 满意率 (one rating of two was 不满意: 50.0%)
        assert "50.0%" in figures
    finally:
        for context in (phone_context, staff_context, member_context):
            context.close()
