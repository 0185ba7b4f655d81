"""The README's “第一次使用” walk-through, followed literally in Chromium on the demo data with the demo
logins: a project from 了解需求 to 公示, then booking, a clash between two organisers, approval and a
cancellation. Each step clicks what the README says to click; if the README or a page changes so that
the walk no longer works, this fails."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import CommunityFund, Project, Status
from services.models import Booking, BookingStatus
from tests.factories import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "haitang-demo"


@pytest.fixture
def walk(live_server, page):
    call_command("seed_demo", stdout=io.StringIO())

    class Walk:
        def login(self, username):
            # 右上角“登录”进入
            page.goto(live_server.url + "/")
            page.get_by_role("link", name="登录").click()
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            expect(page.get_by_role("button", name=re.compile(r"^退出（"))).to_be_visible()

        def logout(self):
            # “退出（姓名）”离开
            page.get_by_role("button", name=re.compile(r"^退出（")).click()
            page.wait_for_load_state()
            expect(page.get_by_role("link", name="登录")).to_be_visible()

        def press(self, label):
            page.get_by_role("button", name=label, exact=True).click()
            page.wait_for_load_state()

        def nav(self, label):
            page.locator("header.topbar").get_by_role("link", name=label).click()
            page.wait_for_load_state()

    return Walk()


def test_a_project_from_surveying_to_gongshi(live_server, page, walk, tmp_path, screenshot):
    title = "古巷邻里议事厅"
    # 1. daoqian: 为民服务项目 → 古巷邻里议事厅 → 确定项目.
    walk.login("daoqian")
    walk.nav("为民服务项目")
    page.get_by_role("link", name=title).click()
    expect(page.locator("#next-step")).to_contain_text("办理下一步")
    walk.press("确定项目")
    walk.logout()
    # 2. canglang: 审核通过，予以备案, then 核拨经费.
    walk.login("canglang")
    walk.nav("为民服务项目")
    page.get_by_role("link", name=title).click()
    walk.press("审核通过，予以备案")
    walk.press("核拨经费")
    expect(page.locator(".progress .current")).to_contain_text("经费核拨")
    walk.logout()
    # 3. daoqian: 开始组织实施; an expense of 6000 with a PDF receipt.
    walk.login("daoqian")
    walk.nav("为民服务项目")
    page.get_by_role("link", name=title).click()
    walk.press("开始组织实施")
    receipt = tmp_path / "fapiao.pdf"
    receipt.write_bytes(PDF_BYTES)
    page.fill("#id_date", timezone.localdate().isoformat())
    page.fill("#id_payee", "苏州古巷文化服务社")
    page.fill("#id_amount", "6000")
    page.fill("#id_purpose", "议事厅桌椅与宣传展板")
    page.set_input_files("#id_receipt", str(receipt))
    walk.press("提交支出")
    expect(page.locator(".messages")).to_contain_text("支出已提交")
    walk.logout()
    # 4. canglang: 通过 in the 支出报销 table.
    walk.login("canglang")
    walk.nav("为民服务项目")
    page.get_by_role("link", name=title).click()
    walk.press("通过")
    expect(page.locator(".messages")).to_contain_text("已通过支出")
    walk.logout()
    project = Project.objects.get(title=title)
    fund = CommunityFund.objects.get(community=project.community, year=project.year)
    committed = fund.committed
    # 5. daoqian: 进入支出报销; 修改项目信息 → 实际惠及人次 420 → 保存; 上报公示; 查看公示页.
    walk.login("daoqian")
    walk.nav("为民服务项目")
    page.get_by_role("link", name=title).click()
    walk.press("进入支出报销")
    page.get_by_role("link", name="修改项目信息").click()
    page.fill("#id_actual_beneficiaries", "420")
    walk.press("保存")
    walk.press("上报公示")
    expect(page.locator("#next-step")).to_contain_text("项目已上报公示")
    page.get_by_role("link", name="查看公示页").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("道前社区")
    expect(page.locator("main")).to_contain_text(title)
    screenshot(page, "readme-walk-gongshi")
    project = Project.objects.get(title=title)
    assert project.status == Status.PUBLISHED and project.spent == 6000
    # The unspent budget went back to the community's fund.
    fund.refresh_from_db()
    assert committed - fund.committed == project.budget - 6000


def open_room(page, walk, room):
    """阵地列表 → 双塔街道党群服务中心 → the room's 查看本周空闲、预约."""
    walk.nav("阵地列表")
    page.get_by_role("link", name="双塔街道党群服务中心").first.click()
    page.wait_for_load_state()
    page.locator("li", has_text=room).get_by_role("link", name=re.compile("查看本周空闲、预约")).first.click()
    page.wait_for_load_state()


def book_first_free_slot(page, walk, title):
    slot = page.locator("a.slot-free").first
    href = slot.get_attribute("href")
    slot.click()
    page.wait_for_load_state()
    page.fill("#id_title", title)
    page.fill("#id_attendees", "20")
    walk.press("提交预约")
    return href


def test_booking_a_clash_between_two_organisers_approval_and_cancelling(live_server, page, walk, screenshot):
    # 1. organizer: a free slot of the 多功能厅, booked at once.
    walk.login("organizer")
    open_room(page, walk, "多功能厅")
    book_first_free_slot(page, walk, "党员学习会")
    expect(page.locator(".messages")).to_contain_text("预约已确认")
    taken = Booking.objects.get(title="党员学习会")
    walk.logout()
    # 2. organizer2: the same room and time through 填写预约: told it is taken, with offers.
    walk.login("organizer2")
    open_room(page, walk, "多功能厅")
    start, end = timezone.localtime(taken.start), timezone.localtime(taken.end)

    def ask_for_the_taken_slot(title):
        page.get_by_role("link", name="填写预约").click()
        page.wait_for_load_state()
        page.fill("#id_date", start.date().isoformat())
        page.fill("#id_start_time", start.strftime("%H:%M"))
        page.fill("#id_end_time", end.strftime("%H:%M"))
        page.fill("#id_title", title)
        page.fill("#id_attendees", "30")
        walk.press("提交预约")
        expect(page.locator("#conflict")).to_contain_text("该时段已被预约")

    ask_for_the_taken_slot("青年议事会")
    screenshot(page, "readme-walk-clash")
    page.locator(".same-room button").first.click()  # 改约: this room at the time offered
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("预约已确认")
    page.goto(live_server.url + f"/rooms/{taken.venue_id}/")
    ask_for_the_taken_slot("青年读书会")
    page.locator(".nearby button").first.click()  # 改订: carries the form to the other room
    page.wait_for_load_state()
    expect(page.locator(".notice")).to_contain_text("尚未预约")
    expect(page.locator("#id_title")).to_have_value("青年读书会")
    walk.press("提交预约")
    expect(page.locator(".messages")).to_contain_text("青年读书会")
    moved = Booking.objects.get(title="青年议事会")  # 改约: the same room, another time
    assert moved.venue_id == taken.venue_id and moved.start != taken.start
    carried = Booking.objects.get(title="青年读书会")  # 改订: another room, the same time
    assert carried.venue_id != taken.venue_id and carried.start == taken.start
    walk.logout()
    # 3. organizer3: the 议事厅 needs approval: 待审核.
    walk.login("organizer3")
    open_room(page, walk, "议事厅")
    book_first_free_slot(page, walk, "创元集团主题党日")
    expect(page.locator(".messages")).to_contain_text("等待工作人员审核")
    walk.logout()
    # 4. shuangta: 预约审核 → 批准.
    walk.login("shuangta")
    walk.nav("预约审核")
    page.locator("li, tr", has_text="创元集团主题党日").get_by_role("button", name="批准").first.click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("已批准")
    walk.logout()
    # 5. organizer3: 我的预约 shows it 已确认; 取消 asks first; 日历订阅 gives the address.
    walk.login("organizer3")
    walk.nav("我的预约")
    row = page.locator("#upcoming li", has_text="创元集团主题党日")
    expect(row).to_contain_text("已确认")
    row.get_by_role("link", name=re.compile("^取消")).first.click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("将取消")
    page.get_by_role("button", name=re.compile("^确认取消")).click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("已取消")
    assert Booking.objects.get(title="创元集团主题党日").status == BookingStatus.CANCELLED
    page.locator("details.calendar summary").click()
    walk.press("生成订阅地址")
    page.locator("details.calendar summary").click()
    calendar = page.locator("details.calendar")
    expect(calendar.get_by_role("button", name=re.compile("复制"))).to_be_visible()
    expect(calendar.locator("a[href^='webcal:']")).to_have_count(1)
    expect(calendar.locator("svg, img")).not_to_have_count(0)
    screenshot(page, "readme-walk-my-bookings")
