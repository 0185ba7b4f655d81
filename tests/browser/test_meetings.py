"""A branch secretary on a 375-px phone records last month's 党课 with its attendance, and the street's
compliance list, which showed the branch behind on 党课, no longer lists it."""

import datetime as dt

import pytest
from django.utils import timezone

from members.models import Attendance, ComplianceRule, Frequency, Meeting, MeetingKind, OrganizationKind, Role
from tests.browser.test_volunteers import fits
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    StaffFactory,
    TownFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def month_start(day):
    return day.replace(day=1)


def test_a_secretary_records_a_party_lecture_on_a_phone_and_the_street_list_changes(
    live_server, page, phone_page, login, screenshot
):
    # One rule, 党课 monthly, whatever a transactional test's flush left of the migration's defaults.
    ComplianceRule.objects.all().delete()
    ComplianceRule.objects.create(
        organization_kind=OrganizationKind.BRANCH,
        meeting_kind=MeetingKind.PARTY_LECTURE,
        frequency=Frequency.MONTHLY,
    )
    street = TownFactory(name="沧浪街道")
    branch = OrganizationFactory(
        name="道前社区第一党支部", area=CommunityFactory(parent=street, name="道前社区")
    )
    wang, li = (
        MemberFactory(organization=branch, name="王芳"),
        MemberFactory(organization=branch, name="李强"),
    )
    secretary = UserFactory(role=Role.ORGANIZER, organization=branch, last_name="张书记")
    staff = StaffFactory(role=Role.STREET_STAFF, area=street, username="canglang")

    # Every month of the year held its 党课 but last month, whose is what the secretary now records.
    today = timezone.localdate()
    last_month = month_start(month_start(today) - dt.timedelta(days=1))
    year = last_month.year
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        if first == last_month or first > today:
            continue
        start = timezone.make_aware(dt.datetime.combine(first, dt.time(9)))
        if first == month_start(today):
            start = min(start, timezone.now() - dt.timedelta(minutes=1))
        MeetingFactory(organization=branch, kind=MeetingKind.PARTY_LECTURE, start=start)

    compliance_url = f"{live_server.url}/compliance/?year={year}"
    login(page, staff)
    page.goto(compliance_url)
    row = page.locator(f"tr[data-organization='{branch.pk}']")
    assert f"{last_month.month} 月" in row.text_content()

    phone = phone_page
    login(phone, secretary)
    phone.goto(f"{live_server.url}/organizations/mine/life/")
    phone.get_by_role("link", name="记录会议").click()
    phone.select_option("select[name=kind]", label="党课")
    phone.fill("input[name=date]", last_month.replace(day=15).isoformat())
    phone.fill("input[name=start_time]", "14:00")
    phone.fill("input[name=end_time]", "15:30")
    phone.fill("input[name=topic]", "学习贯彻党的二十届三中全会精神")
    phone.fill("input[name=place]", "道前社区党群服务站")
    phone.fill("input[name=presided_by]", "张书记")
    phone.check(f"input[name=att-{li.pk}][value=excused]")
    phone.fill(f"input[name=reason-{li.pk}]", "出差")
    fits(phone)
    screenshot(phone, "meeting-record-phone")
    phone.get_by_role("button", name="保存记录").click()
    phone.wait_for_load_state()
    assert "会议已记录" in phone.content()
    assert "李强：请假（出差）" in phone.locator(".attendance-list").text_content()
    fits(phone)

    meeting = Meeting.objects.get(topic="学习贯彻党的二十届三中全会精神")
    assert dict(Attendance.objects.filter(meeting=meeting).values_list("member", "status")) == {
        wang.pk: "present",
        li.pk: "excused",
    }

    page.goto(compliance_url)
    assert page.locator(f"tr[data-organization='{branch.pk}']").count() == 0
    assert "没有未按期召开" in page.content()
