"""A volunteer on a 375-px phone: registers with the SMS code, records a service with a photo, sees the
points arrive once staff verify it; redeems a reward that the unit's staff hand over.

The live server runs in this process, so the code texted by the locmem SMS backend is read from the
`sms_outbox` fixture, as a person reads it from their phone.
"""

import re

import pytest
from django.db import transaction

from members.models import EntryKind, RedemptionStatus, ServiceStatus, Volunteer
from members.points import post_entry
from tests.factories import (
    JPEG_BYTES,
    CommunityFactory,
    PointRuleFactory,
    RewardFactory,
    StaffFactory,
    TownFactory,
    UserFactory,
    VolunteerFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("innerWidth")


def test_register_record_a_service_and_see_the_points_after_verification(
    live_server, phone_page, browser, login, sms_outbox, screenshot
):
    community = CommunityFactory(name="道前社区", parent=TownFactory(name="沧浪街道"))
    staff = StaffFactory(area=community, last_name="道前社区工作人员")
    PointRuleFactory(area=community, name="隐患排查", unit="次", points_per_unit=10, evidence_required=True)
    page = phone_page

    page.goto(f"{live_server.url}/volunteers/register/")
    page.fill("input[name=phone]", "13912345678")
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_load_state()
    assert "验证码已发送" in page.content()
    code = re.search(r"\d{6}", sms_outbox[-1][1]).group()
    page.fill("input[name=code]", code)
    page.fill("input[name=name]", "张三明")
    page.select_option("select[name=community]", label="道前社区")
    page.fill("input[name=password]", "haitang-2026-demo")
    fits(page)
    screenshot(page, "volunteer-register-phone")
    page.get_by_role("button", name="注册").click()
    page.wait_for_load_state()
    assert "注册成功" in page.content()
    assert page.locator("#balance").text_content() == "0"

    page.get_by_role("link", name="记录一次服务").click()
    page.select_option("select[name=rule]", label="隐患排查（第1版，10分/次）")
    page.fill("input[name=title]", "楼道堆物排查")
    page.fill("input[name=place]", "道前社区 3 幢")
    page.fill("input[name=units]", "2")
    page.set_input_files(
        "input[name=photos]", {"name": "louDao.jpg", "mimeType": "image/jpeg", "buffer": JPEG_BYTES}
    )
    fits(page)
    screenshot(page, "volunteer-service-form-phone")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_load_state()
    assert "服务记录已提交" in page.content(), page.locator(".errorlist").all_text_contents()
    assert "待审核" in page.locator("#services").text_content()

    # The community's staff verify it on their own phone.
    staff_context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="zh-CN", is_mobile=True
    )
    staff_page = staff_context.new_page()
    login(staff_page, staff)
    staff_page.goto(f"{live_server.url}/volunteers/review/")
    assert "楼道堆物排查" in staff_page.locator("#queue").text_content()
    fits(staff_page)
    staff_page.get_by_role("button", name="通过").click()
    staff_page.wait_for_load_state()
    assert "积分 20 分" in staff_page.content()
    staff_context.close()

    page.reload()
    assert page.locator("#balance").text_content() == "20"
    assert "已通过" in page.locator("#services").text_content()
    screenshot(page, "volunteer-record-phone")
    volunteer = Volunteer.objects.get()
    assert volunteer.service_records.get().status == ServiceStatus.VERIFIED


def test_redeem_a_reward_and_the_unit_hands_it_over(live_server, phone_page, browser, login, screenshot):
    volunteer = VolunteerFactory(name="李四")
    with transaction.atomic():
        post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=80, source="grant")
    reward = RewardFactory(name="免费理发券", price=30, stock=2)
    unit_staff = UserFactory(organization=reward.organization, last_name="创元集团工作人员")
    page = phone_page

    login(page, volunteer.user)
    page.goto(f"{live_server.url}/volunteers/rewards/")
    fits(page)
    page.locator(f"#reward-{reward.pk}").get_by_role("button", name="兑换").click()
    page.wait_for_load_state()
    assert "已预留“免费理发券”" in page.content()
    assert page.locator("#balance").text_content() == "50"

    unit_context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", is_mobile=True)
    unit_page = unit_context.new_page()
    login(unit_page, unit_staff)
    unit_page.goto(f"{live_server.url}/volunteers/handover/")
    assert "李四" in unit_page.locator("#handover").text_content()
    fits(unit_page)
    screenshot(unit_page, "unit-handover-phone")
    unit_page.get_by_role("button", name="确认领取").click()
    unit_page.wait_for_load_state()
    assert "已确认领取" in unit_page.content()
    unit_context.close()

    page.goto(f"{live_server.url}/volunteers/me/")
    assert "已领取" in page.locator("#redemptions").text_content()
    assert volunteer.redemptions.get().status == RedemptionStatus.HANDED_OVER
