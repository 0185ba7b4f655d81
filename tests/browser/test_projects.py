"""A project's path from 确定项目 to 公示 through the staff pages, then the public 公示 read without login."""

import re

import pytest

from members.models import Role
from tests.factories import PDF_BYTES, CommunityFactory, DistrictFactory, StaffFactory, TownFactory

pytestmark = pytest.mark.django_db(transaction=True)


def press(page, label):
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()


def test_project_path_to_gongshi(live_server, browser, page, phone_page, login, screenshot, tmp_path):
    town = TownFactory(name="虎丘街道", parent=DistrictFactory(name="虎丘区（苏州高新区）"))
    community = CommunityFactory(name="嘉业阳光城社区", parent=town)
    CommunityFactory(name="尚未启动社区", parent=town)
    community_staff = StaffFactory(
        role=Role.COMMUNITY_STAFF, area=community, last_name="王", first_name="小红"
    )
    street_staff = StaffFactory(role=Role.STREET_STAFF, area=town, last_name="李", first_name="建国")

    # Community staff: a new project, then 确定项目.
    login(page, community_staff)
    page.goto(f"{live_server.url}/projects/new/")
    page.fill("#id_title", "博士阳光讲坛")
    page.select_option("#id_category", "party_building")
    page.fill("#id_budget", "36000")
    page.fill("#id_description", "居民希望在家门口听到权威、实用的讲座。")
    page.fill("#id_expected_beneficiaries", "1200")
    press(page, "保存")
    project_url = page.url
    assert "了解需求" in page.text_content(".progress .current")
    page.fill("#id_comment", "经居民议事会讨论确定")
    press(page, "确定项目")
    assert "已办理：确定项目" in page.text_content(".messages")

    # Street staff, on a phone: file; a send-back without a reason is refused; then fund.
    login(phone_page, street_staff)
    phone_page.goto(project_url)
    press(phone_page, "审核通过，予以备案")
    press(phone_page, "退回修改")
    assert "退回时请填写原因" in phone_page.text_content(".messages")
    phone_page.fill("#id_comment", "材料齐全，同意备案并核拨")
    press(phone_page, "核拨经费")
    assert "经费核拨" in phone_page.text_content(".progress .current")
    screenshot(phone_page, "projects-detail-street-phone")

    # Community staff: carry out, hand in an expense with its receipt.
    page.goto(project_url)
    press(page, "开始组织实施")
    receipt = tmp_path / "fapiao.pdf"
    receipt.write_bytes(PDF_BYTES)
    page.fill("#id_date", "2025-06-01")
    page.fill("#id_payee", "苏州某印务有限公司")
    page.fill("#id_amount", "8000")
    page.fill("#id_purpose", "讲坛海报与资料印制")
    page.set_input_files("#id_receipt", str(receipt))
    press(page, "提交支出")
    assert "支出已提交" in page.text_content(".messages")

    # Street staff approve it.
    phone_page.goto(project_url)
    press(phone_page, "通过")
    assert "已通过支出" in phone_page.text_content(".messages")

    # Community staff: reimbursement, beneficiaries, 公示.
    page.goto(project_url)
    press(page, "进入支出报销")
    page.click("text=修改项目信息")
    page.fill("#id_actual_beneficiaries", "1320")
    press(page, "保存")
    page.fill("#id_comment", "在社区公示栏同步公示")
    press(page, "上报公示")
    assert "项目已上报公示" in page.text_content("#next-step")
    screenshot(page, "projects-detail-desktop")
    page.goto(f"{live_server.url}/projects/dashboard/")  # community staff's own community
    page.goto(f"{live_server.url}/projects/")
    screenshot(page, "projects-list-desktop")

    # On a phone the list is a card per project: step and money in view, nothing to scroll sideways.
    phone_page.goto(f"{live_server.url}/projects/")
    step = phone_page.locator(".project-table .step").first.bounding_box()
    spent = phone_page.locator(".project-table td.num").last.bounding_box()
    assert step["x"] + step["width"] <= 375 and spent["x"] + spent["width"] <= 375
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "projects-list-street-phone")

    phone_page.goto(f"{live_server.url}/projects/dashboard/")
    phone_page.wait_for_function("document.querySelector('#chart-status').width > 0")
    screenshot(phone_page, "projects-dashboard-street-phone")

    # A resident, not logged in: the district → street → community path to the 公示 page.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    resident = context.new_page()
    resident.goto(f"{live_server.url}/gongshi/")
    resident.wait_for_function("document.querySelector('#chart-category').width > 0")
    screenshot(resident, "projects-gongshi-city-desktop")
    resident.click(f"text={town.parent.name}")
    resident.click("text=虎丘街道")
    assert "尚未启动社区" in resident.text_content(".idle")
    resident.click("table.children >> text=嘉业阳光城社区")
    body = resident.text_content("main")
    screenshot(resident, "projects-gongshi-community-desktop")
    assert "博士阳光讲坛" in body and "上报公示" in body and "1320" in body and "8,000.00" in body
    assert "王小红" not in body and "李建国" not in body
    assert not re.search(r"1[3-9]\d{9}", body)
    community_url = resident.url
    with resident.expect_download() as download:
        resident.click("text=下载 Excel")
    assert download.value.suggested_filename.endswith(".xlsx")
    context.close()

    phone_page.goto(community_url)
    screenshot(phone_page, "projects-gongshi-community-phone")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
