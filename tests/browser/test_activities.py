"""活动报名 on a phone, end to end: a volunteer finds an activity in a site's map popup, signs up, checks in
through the link the door's QR code encodes, the organiser confirms attendance, and the volunteer sees
the points on their record. Then the pages this adds, at 375 and 1280 px, for a person to look at.

The clock is moved (time_machine, which the live server's thread shares) from before the start, when
sign-up is open, to after it, when the organiser confirms.
"""

import datetime as dt
import io
import re

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from members.models import PointsEntry
from services import activities as ops
from services.models import Activity, Signup
from tests.browser.test_map import offline
from tests.factories import (
    PointRuleFactory,
    SiteFactory,
    StaffFactory,
    VenueFactory,
    VolunteerFactory,
    next_weekday,
)

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"375": {"width": 375, "height": 740}, "1280": {"width": 1280, "height": 860}}


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    site = SiteFactory(name="道前社区党群服务站", address="苏州市姑苏区道前街 100 号")
    staff = StaffFactory(area=site.area, username="daoqian", last_name="道前", first_name="社工")
    start = (timezone.now() + dt.timedelta(minutes=20)).replace(second=0, microsecond=0)
    activity = ops.publish_activity(
        by=staff, site=site, title="“苏会党员”便民服务", kind="volunteer", start=start,
        end=start + dt.timedelta(hours=2), capacity=10, description="理发、量血压、家电维修。",
        point_rule=PointRuleFactory(name="志愿服务", points_per_unit=10),
    )  # fmt: skip
    ops.update_activity(activity=activity, by=staff, cover=SimpleUploadedFile("cover.png", cover_png()))
    volunteer = VolunteerFactory(community=site.area, name="张三明")
    volunteer.user.last_name, volunteer.user.first_name = "张", "三明"
    volunteer.user.save()
    return {"site": site, "staff": staff, "activity": activity, "volunteer": volunteer}


def cover_png():
    """A real 640×360 PNG, drawn with Pillow."""
    image = Image.new("RGB", (640, 360), "#b71c1c")
    ImageDraw.Draw(image).rectangle([40, 40, 600, 320], outline="#ffd54f", width=12)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_volunteer_signs_up_from_the_map_checks_in_and_earns_the_points(
    live_server, page, phone_page, login, screenshot, world, time_machine
):
    activity, volunteer, site = world["activity"], world["volunteer"], world["site"]
    phone = phone_page
    offline(phone, live_server)
    login(phone, volunteer.user)

    # The map: search for the site, tap its marker; the popup lists its next activities.
    phone.goto(live_server.url + "/")
    phone.click("#filter-panel summary")
    phone.fill("#id_q", "道前社区")
    expect(phone.locator("#map-status")).to_have_text("共 1 个阵地")
    # The map zooms in on the one site it found; a marker tapped while markercluster redraws it for the
    # new zoom is replaced, closing its popup: wait for the zoom to end.
    phone.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')")
    phone.wait_for_timeout(500)
    phone.locator(f".site-marker[title='{site.name}']").tap()
    popup = phone.locator(".leaflet-popup-content")
    expect(popup.locator(".popup-activities")).to_contain_text("“苏会党员”便民服务")
    expect(popup.locator(".popup-activities")).to_contain_text("余 10 个名额")
    expect(phone.locator(".leaflet-popup")).to_have_css("opacity", "1")
    screenshot(phone, "activities-1-map-popup-375", full_page=False)
    popup.get_by_role("link", name="“苏会党员”便民服务").click()

    # The activity's page: cover, points, sign up.
    expect(phone.locator("h1")).to_have_text("“苏会党员”便民服务")
    expect(phone.locator(".activity-cover")).to_be_visible()
    expect(phone.locator("dl.card")).to_contain_text("获得 20 分")
    phone.get_by_role("button", name="报名参加").click()
    expect(phone.locator(".messages")).to_contain_text("报名成功")
    screenshot(phone, "activities-2-signed-up-375")

    # The organiser's page shows the QR code for the door; it encodes the check-in page's address.
    offline(page, live_server)
    login(page, world["staff"])
    page.goto(live_server.url + activity.get_absolute_url())
    qr_link = page.locator("#checkin-qr .meta a")
    checkin_url = qr_link.get_attribute("href")
    assert checkin_url == live_server.url + reverse("services:activity-checkin", args=[activity.pk])
    drawn = page.locator("#checkin-qr .qr").inner_html()
    expected = segno.make(checkin_url, error="m").svg_inline(scale=6, border=2, title="活动签到二维码")
    assert _path(drawn) == _path(expected)  # the same modules: the code a camera reads is this URL
    screenshot(page, "activities-3-organiser-qr-1280")

    # The volunteer's camera opens that address: a button checks them in.
    phone.goto(checkin_url)
    phone.get_by_role("button", name="确认签到").click()
    expect(phone.locator(".messages")).to_contain_text("签到成功")
    screenshot(phone, "activities-4-checked-in-375")

    # After the start the organiser confirms who came; the points go to the volunteer once.
    time_machine.move_to(activity.start + dt.timedelta(hours=1, minutes=50), tick=True)
    page.goto(live_server.url + activity.get_absolute_url())
    page.get_by_role("link", name="确认出勤").click()
    expect(page.locator("#attendance")).to_contain_text("张三明")
    expect(page.locator("#attendance input[type=checkbox]")).to_be_checked()
    screenshot(page, "activities-5-attendance-1280")
    page.get_by_role("button", name="确认出勤并发放积分").click()
    expect(page.locator(".messages")).to_contain_text("已确认出勤：1 人到场")
    expect(page.locator("#attendance")).to_contain_text("+20 积分")
    screenshot(page, "activities-6-attendance-confirmed-1280")
    assert PointsEntry.objects.get().volunteer == volunteer

    # The volunteer's record shows the balance and the entry; 我的活动 shows it attended, with the points.
    phone.goto(live_server.url + reverse("volunteers:me"))
    expect(phone.locator("#balance")).to_have_text("20")
    expect(phone.locator("#entries")).to_contain_text("+20")
    screenshot(phone, "activities-7-volunteer-record-375")
    phone.goto(live_server.url + reverse("services:my-activities"))
    item = phone.locator("#my-activities li", has_text="“苏会党员”便民服务")
    expect(item).to_contain_text("已参加")
    expect(item).to_contain_text("+20 积分")
    screenshot(phone, "activities-8-my-activities-375")


def _path(svg):
    return re.search(r'<path[^>]*d="([^"]+)"', svg).group(1)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_pages_at_phone_and_desktop_width(live_server, browser, login, screenshot, world, width):
    """The added pages, each fitting the width (no sideways scrolling), saved for a person to look at."""
    activity, site = world["activity"], world["site"]
    signup = ops.sign_up(activity=activity, user=world["volunteer"].user)
    Signup.objects.filter(pk=signup.pk).update(checked_in_at=timezone.now())
    Activity.objects.filter(pk=activity.pk).update(start=timezone.now() - dt.timedelta(minutes=5))
    context = browser.new_context(viewport=WIDTHS[width], locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    offline(page, live_server)
    pages = {
        "site": site.get_absolute_url(),
        "list": reverse("services:activity-list"),
        "detail": activity.get_absolute_url(),
        "attendance": reverse("services:activity-attendance", args=[activity.pk]),
    }
    login(page, world["staff"])
    for name, path in pages.items():
        page.goto(live_server.url + path)
        if name == "site":
            expect(page.locator("#site-activities")).to_contain_text("“苏会党员”便民服务")
            expect(page.get_by_role("link", name=re.compile("订阅本阵地活动日历"))).to_be_visible()
        wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"{name} scrolls sideways by {wide} px at {width}"
        screenshot(page, f"activities-page-{name}-{width}")
    context.clear_cookies()
    login(page, world["volunteer"].user)
    page.goto(live_server.url + reverse("services:my-activities"))
    screenshot(page, f"activities-page-mine-{width}")
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_publishing_from_the_site_page_and_a_taken_room(
    live_server, browser, login, screenshot, world, width
):
    """发布活动 from the site's page: the form in a room, published; the same room again is taken, and
    the form comes back as typed with the room's other free times."""
    site = world["site"]
    room = VenueFactory(site=site, name="多功能活动室", capacity=40)
    context = browser.new_context(viewport=WIDTHS[width], locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    offline(page, live_server)
    login(page, world["staff"])
    day = next_weekday(2).isoformat()
    for attempt, title in enumerate(("博士阳光讲坛", "居民议事会")):
        page.goto(live_server.url + site.get_absolute_url())
        page.get_by_role("main").get_by_role("link", name="发布活动").click()  # the site page's link
        expect(page.locator("h1")).to_have_text("发布活动")
        page.fill("#id_date", day)
        page.fill("#id_start_time", "14:00")
        page.fill("#id_end_time", "16:00")
        page.select_option("#id_venue", str(room.pk))
        page.fill("#id_title", title)
        page.select_option("#id_kind", "lecture")
        page.fill("#id_capacity", "30")
        page.fill("#id_contact_phone", "13912345678")
        page.set_input_files(
            "#id_cover", files=[{"name": "cover.png", "mimeType": "image/png", "buffer": cover_png()}]
        )
        if attempt == 0:
            screenshot(page, f"activities-publish-form-{width}")
        page.get_by_role("button", name="发布活动").click()
    # The second is the taken room: the reason, other times, and everything typed still there.
    expect(page.locator("#conflict")).to_contain_text("该时段已被预约")
    expect(page.locator("#id_title")).to_have_value("居民议事会")
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    sticking_out = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map(e => `${e.tagName}.${e.className}: ${Math.round(e.getBoundingClientRect().right)}`)"""
    )
    assert wide <= 0, f"the publish form scrolls sideways by {wide} px at {width}: {sticking_out}"
    screenshot(page, f"activities-publish-taken-{width}")
    published = Activity.objects.get(title="博士阳光讲坛")
    assert published.booking.venue == room and not Activity.objects.filter(title="居民议事会").exists()
    context.close()
