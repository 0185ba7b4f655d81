"""Room booking in Debian Chromium: from the map to a booked slot, a lost race, and the staff's review.

Every span is fixed relative to today (tomorrow 10:00–11:00 and so on) in rooms open 08:00–20:00 every
day, so the tests hold whatever day and hour they run; Playwright's expect() waits, never a sleep.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Role
from services.models import Booking, BookingStatus
from sites.models import SiteTier
from sites.opening_hours import WEEKDAYS
from tests.browser.test_map import offline
from tests.factories import (
    CommunityFactory,
    OrganizationFactory,
    SiteFactory,
    StaffFactory,
    TownFactory,
    UserFactory,
    VenueFactory,
    VenueRulesFactory,
    local,
)

pytestmark = pytest.mark.django_db(transaction=True)

ALL_DAY = {day: [["08:00", "20:00"]] for day in WEEKDAYS}


def tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


def organiser(username, org_name, phone):
    return UserFactory(
        username=username,
        last_name=username[0],
        first_name=username[1:],
        phone=phone,
        organization=OrganizationFactory(name=org_name),
    )


def fits_the_phone(page):
    """Nothing scrolls sideways at the page's width."""
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def snap(page, screenshot, name):
    """Screenshot the page as it is, then the same page at 1280 and at 375 px, and check 375 px fits."""
    size = page.viewport_size
    for width, suffix in ((1280, "desktop"), (375, "phone")):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"{name}-{suffix}")
        if width == 375:
            assert fits_the_phone(page), f"{name} scrolls sideways at 375 px"
    page.set_viewport_size(size)


@pytest.fixture
def street():
    """A street with a centre whose hall is open all day, a station ~450 m away and a site ~3 km away."""
    town = TownFactory(name="平江街道")
    community = CommunityFactory(name="平江社区", parent=town)
    centre = SiteFactory(
        name="平江街道党群服务中心",
        tier=SiteTier.CENTER,
        area=community,
        latitude="31.300000",
        longitude="120.600000",
    )
    hall = VenueFactory(site=centre, name="党员活动室", capacity=40)
    VenueRulesFactory(venue=hall, opening_hours=ALL_DAY)
    near = SiteFactory(
        name="钮家巷党群服务站",
        area=CommunityFactory(name="钮家巷社区", parent=town),
        latitude="31.304000",
        longitude="120.600000",
    )
    VenueFactory(site=near, name="议事厅", capacity=30)
    VenueFactory(site=near, name="小会客室", capacity=6)  # too small for the 12 people asked for
    far = SiteFactory(name="远处的党群服务站", latitude="31.330000", longitude="120.600000")
    VenueFactory(site=far, name="远处的活动室", capacity=50)
    return {"town": town, "centre": centre, "hall": hall}


def fill_details(page, title, attendees="12"):
    page.fill("#id_title", title)
    page.select_option("#id_purpose", "party_day")
    page.fill("#id_attendees", attendees)


def test_from_the_map_to_a_booked_slot_and_the_loser_of_the_race_sees_alternatives(
    live_server, page, phone_page, login, screenshot, street
):
    hall = street["hall"]
    day = tomorrow()
    first = organiser("张敏", "平江社区第一党支部", "13900001111")
    second = organiser("李强", "钮家巷社区党支部", "13900002222")

    # The second organiser, on a desktop, finds the hall through the site page's room list and opens
    # tomorrow's 10:00 slot while it is still free.
    offline(page, live_server)
    login(page, second)
    page.goto(live_server.url + street["centre"].get_absolute_url())
    page.locator(f"#venue-{hall.pk}").get_by_role("link", name=re.compile("查看本周空闲")).click()
    expect(page.locator("h1")).to_have_text("党员活动室")
    page.get_by_role("link", name="按日查看").click()
    page.get_by_role("link", name="后一天").click()
    page.get_by_role("link", name="10:00–11:00 空闲").click()
    expect(page.locator("#id_date")).to_have_value(day.isoformat())
    fill_details(page, "钮家巷支部主题党日")

    # The first organiser, on a phone, comes from the map: search, marker, popup, the room's free times.
    phone = phone_page
    offline(phone, live_server)
    login(phone, first)
    phone.goto(live_server.url + "/")
    phone.click("#filter-panel summary")  # the filters fold away on a phone
    phone.fill("#id_q", "平江街道党群")
    expect(phone.locator("#map-status")).to_have_text("共 1 个阵地")
    phone.locator(".site-marker[title='平江街道党群服务中心']").tap()
    popup = phone.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("党员活动室 · 可容纳 40 人")
    # Today's free time (or "约满" late in the evening) links to the room.
    expect(popup.locator(".popup-slots")).to_have_text(re.compile(r"^今日(空闲 .+|已约满) · 预约 ›$"))
    expect(phone.locator(".leaflet-popup")).to_have_css("opacity", "1")  # faded in
    screenshot(phone, "booking-1-map-popup-phone", full_page=False)
    popup.locator(".popup-slots").click()
    expect(phone.locator("h1")).to_have_text("党员活动室")
    phone.get_by_role("link", name="按日查看").click()
    phone.get_by_role("link", name="后一天").click()
    expect(phone.locator(".day h2")).to_contain_text(f"{day.month}月{day.day}日")
    snap(phone, screenshot, "booking-2-room-day")
    phone.get_by_role("link", name="10:00–11:00 空闲").click()

    # The slot prefills the form; the organiser's phone and party branch are already there.
    expect(phone.locator("#id_date")).to_have_value(day.isoformat())
    expect(phone.locator("#id_start_time")).to_have_value("10:00")
    expect(phone.locator("#id_end_time")).to_have_value("11:00")
    expect(phone.locator("#id_contact_phone")).to_have_value("13900001111")
    expect(phone.locator("#id_organization option:checked")).to_have_text("平江社区第一党支部")
    fill_details(phone, "平江支部三会一课", attendees="20")
    snap(phone, screenshot, "booking-3-form")
    phone.get_by_role("button", name="提交预约").click()

    # Confirmed at once (the hall needs no approval), and listed in 我的预约.
    expect(phone).to_have_url(re.compile(r"/bookings/mine/$"))
    expect(phone.locator(".messages")).to_contain_text("预约已确认")
    mine = phone.locator("#upcoming li", has_text="平江支部三会一课")
    expect(mine.locator(".status")).to_have_text("已确认")
    expect(mine).to_contain_text(f"{day:%Y-%m-%d} 10:00–11:00")
    expect(mine).to_contain_text("平江街道党群服务中心 · 党员活动室")
    snap(phone, screenshot, "booking-4-my-bookings")
    booking = Booking.objects.get()
    assert (booking.organizer, booking.venue, booking.status) == (first, hall, BookingStatus.CONFIRMED)
    assert booking.span == (local(day, 10), local(day, 11)) and booking.attendees == 20

    # The second organiser submits the form they had open: the slot is gone.
    page.get_by_role("button", name="提交预约").click()
    conflict = page.locator("#conflict")
    expect(conflict.locator("h2")).to_have_text("该时段已被预约")
    expect(conflict).to_contain_text("10:00–11:00 已被预约")
    same_room = conflict.locator(".same-room li")
    expect(same_room.locator("button")).to_have_text(["改约 08:00–09:00", "改约 11:00–12:00"])
    expect(same_room).to_contain_text(["空闲 08:00–10:00", "空闲 11:00–20:00"])
    nearby = conflict.locator(".nearby li")
    expect(nearby).to_have_count(1)  # not the 6-seat room, not the site 3 km away
    expect(nearby.locator("button")).to_have_text("改订 钮家巷党群服务站 · 议事厅")
    expect(nearby).to_contain_text(re.compile(r"30 人 · 约 4\d\d 米"))
    # What they typed is still on the form.
    expect(page.locator("#id_title")).to_have_value("钮家巷支部主题党日")
    expect(page.locator("#id_attendees")).to_have_value("12")
    expect(page.locator("#id_start_time")).to_have_value("10:00")
    snap(page, screenshot, "booking-5-conflict")
    assert Booking.objects.count() == 1

    # Taking the next free hour of the same room keeps everything else they typed.
    same_room.get_by_role("button", name="改约 11:00–12:00").click()
    expect(page.locator(".messages")).to_contain_text("预约已确认")
    taken = Booking.objects.get(organizer=second)
    assert taken.span == (local(day, 11), local(day, 12)) and taken.venue == hall
    assert (taken.title, taken.attendees, taken.contact_phone) == ("钮家巷支部主题党日", 12, "13900002222")


def test_a_room_that_needs_approval_goes_through_the_street_staffs_queue(
    live_server, browser, page, phone_page, login, screenshot, street
):
    hall = street["hall"]
    hall.booking_rules.needs_approval = True
    hall.booking_rules.save()
    day = tomorrow()
    first = organiser("王芳", "平江社区第二党支部", "13900003333")
    second = organiser("赵军", "平江社区志愿服务队党支部", "13900004444")
    staff = StaffFactory(role=Role.STREET_STAFF, area=street["town"], last_name="陈", first_name="静")
    elsewhere = StaffFactory(role=Role.STREET_STAFF, area=TownFactory(name="观前街道"))

    # Two organisers ask for tomorrow morning and afternoon: both wait for review.
    for p, who, start, end, title in (
        (phone_page, first, "09:00", "11:00", "党课：学习二十届三中全会精神"),
        (page, second, "14:00", "16:00", "志愿者培训"),
    ):
        login(p, who)
        p.goto(f"{live_server.url}/rooms/{hall.pk}/book/")
        p.fill("#id_date", day.isoformat())
        p.fill("#id_start_time", start)
        p.fill("#id_end_time", end)
        fill_details(p, title)
        p.get_by_role("button", name="提交预约").click()
        expect(p.locator(".messages")).to_contain_text("预约已提交，等待工作人员审核")
        expect(p.locator("#upcoming li", has_text=title).locator(".status")).to_have_text("待审核")
    snap(phone_page, screenshot, "booking-6-pending")
    pending = {b.title: b for b in Booking.objects.filter(status=BookingStatus.PENDING)}
    assert set(pending) == {"党课：学习二十届三中全会精神", "志愿者培训"}

    # Staff of another street see nothing of it.
    other = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    other_page = other.new_page()
    login(other_page, elsewhere)
    other_page.goto(f"{live_server.url}/bookings/review/")
    expect(other_page.locator("#queue")).to_have_text("没有需要处理的预约。")
    other.close()

    # The street's staff member approves one and rejects the other with a reason.
    staff_context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 860}
    )
    staff_page = staff_context.new_page()
    login(staff_page, staff)
    staff_page.get_by_role("link", name="预约审核").click()
    queue = staff_page.locator("#queue > li")
    expect(queue).to_have_count(2)
    expect(queue.locator(".status")).to_have_text(["待审核", "待审核"])
    snap(staff_page, screenshot, "booking-7-review-queue")
    lesson = queue.filter(has_text="党课：学习二十届三中全会精神")
    expect(lesson).to_contain_text("13900003333")  # staff of the area see the full number
    lesson.get_by_role("button", name="批准").click()
    expect(staff_page.locator(".messages")).to_contain_text("已批准")
    training = staff_page.locator("#queue > li", has_text="志愿者培训")
    training.get_by_label("驳回原因").fill("当天下午已安排社区议事会，请改约其他时间")
    training.get_by_role("button", name="驳回").click()
    expect(staff_page.locator(".messages")).to_contain_text("已驳回")
    expect(staff_page.locator("#queue")).to_have_text("没有需要处理的预约。")
    # The decisions move below the queue, latest first.
    expect(staff_page.locator("#decided > li .status")).to_have_text(["已驳回", "已确认"])
    snap(staff_page, screenshot, "booking-8-reviewed")
    staff_context.close()

    lesson, training = (
        Booking.objects.get(pk=pending[t].pk) for t in ("党课：学习二十届三中全会精神", "志愿者培训")
    )
    assert (lesson.status, lesson.decided_by) == (BookingStatus.CONFIRMED, staff)
    assert (training.status, training.decided_by) == (BookingStatus.REJECTED, staff)
    assert training.reject_reason == "当天下午已安排社区议事会，请改约其他时间"

    # Each organiser sees what became of their request.
    phone_page.reload()
    expect(phone_page.locator("#upcoming li", has_text="党课").locator(".status")).to_have_text("已确认")
    page.reload()
    mine = page.locator("#upcoming li", has_text="志愿者培训")
    expect(mine.locator(".status")).to_have_text("已驳回")
    expect(mine).to_contain_text("驳回原因：当天下午已安排社区议事会")
    snap(page, screenshot, "booking-9-rejected")
    mine.get_by_role("link", name="看看当天其他空闲时段").click()
    expect(page.locator(".day h2")).to_contain_text(f"{day.month}月{day.day}日")
    expect(page.locator(".day .slot-busy")).to_have_text(
        ["09:00–11:00 已被预约"]
    )  # the rejected slot is free


def test_empty_forms_propose_a_time_and_a_free_room_search_leads_to_a_filled_form(
    live_server, page, phone_page, login, screenshot, street
):
    day = tomorrow()
    login(phone_page, organiser("周洁", "平江社区第三党支部", "13900005555"))

    # Opened without a slot, the booking form proposes the room's next free hour, not empty boxes.
    phone_page.goto(f"{live_server.url}/rooms/{street['hall'].pk}/book/")
    assert phone_page.input_value("#id_date") >= timezone.localdate().isoformat()
    expect(phone_page.locator("#id_start_time")).to_have_value(re.compile(r"^\d\d:[0-5][05]$"))
    expect(phone_page.locator("#id_end_time")).to_have_value(re.compile(r"^\d\d:[0-5][05]$"))
    expect(phone_page.locator("label[for=id_date]")).to_have_text("日期")  # no stray ":"
    expect(phone_page.locator("details.repeat-rule")).not_to_have_attribute("open", "")
    snap(phone_page, screenshot, "booking-10-empty-form")
    phone_page.get_by_text("重复预约（可选）").click()  # the repeat rule unfolds on demand
    expect(phone_page.get_by_label("周一")).to_be_visible()
    snap(phone_page, screenshot, "booking-10-empty-form-repeat")

    # The free-room search starts from today and the next full hour too.
    phone_page.goto(f"{live_server.url}/rooms/free/")
    assert phone_page.input_value("#id_date") >= timezone.localdate().isoformat()
    expect(phone_page.locator("#id_start_time")).to_have_value(re.compile(r"^\d\d:00$"))
    phone_page.fill("#id_date", day.isoformat())
    phone_page.fill("#id_start_time", "10:00")
    phone_page.fill("#id_end_time", "11:00")
    phone_page.fill("#id_attendees", "12")
    phone_page.select_option("#id_area", label="平江街道")
    phone_page.get_by_role("button", name="查找").click()
    rooms = phone_page.locator(".booking-list > li")
    expect(phone_page.locator("h2")).to_have_text(
        f"{day.month}月{day.day}日 10:00–11:00 空闲的活动室（2 间）"
    )
    expect(rooms.locator("strong")).to_have_text(
        ["平江街道党群服务中心 · 党员活动室", "钮家巷党群服务站 · 议事厅"]
    )
    snap(phone_page, screenshot, "booking-11-free-rooms")
    rooms.filter(has_text="议事厅").get_by_role("link", name="预约这个时段").click()
    expect(phone_page.locator("h1")).to_have_text("预约 议事厅")
    expect(phone_page.locator("#id_date")).to_have_value(day.isoformat())
    expect(phone_page.locator("#id_start_time")).to_have_value("10:00")
    expect(phone_page.locator("#id_end_time")).to_have_value("11:00")
