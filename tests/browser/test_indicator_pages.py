"""A street's staff read the co-building units' indicators on a 375-px phone and on a desktop; a
community's staff name a hardship household on the phone and then see it in full, which the street's
staff see masked."""

import datetime as dt

import pytest
from django.utils import timezone

from members.models import MeetingKind, Role
from services import hardship
from tests.browser.test_volunteers import fits
from tests.factories import (
    CommunityFactory,
    DistrictFactory,
    MeetingFactory,
    OrganizationFactory,
    StaffFactory,
    TownFactory,
    UnitFactory,
    default_indicators,
    local,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_indicator_page_and_the_hardship_form_on_a_phone(
    live_server, page, phone_page, login, screenshot
):
    default_indicators()
    year = timezone.localdate().year
    street = TownFactory(name="双塔街道", parent=DistrictFactory(name="姑苏区"))
    community = CommunityFactory(parent=street, name="沧浪亭社区")
    host = OrganizationFactory(area=community, name="沧浪亭社区党委", kind="committee")
    community_staff = StaffFactory(area=community, username="canglangting")
    met = UnitFactory(area=community, name="苏州市沧浪亭管理处党支部")
    MeetingFactory(
        organization=host, kind=MeetingKind.PARTY_LECTURE, given_by=met, start=local(dt.date(year, 3, 1), 9)
    )
    behind = UnitFactory(area=community, name="苏州三元交通建设工程有限公司党支部")
    hardship.link_household(
        by=community_staff, organization=behind, community=community, household_name="周大爷",
        address="十全街 12 号", situation="独居老人", started_on=dt.date(year, 2, 1),
    )  # fmt: skip
    UnitFactory(area=community, name="苏州大学附属第一医院党委")
    street_staff = StaffFactory(role=Role.STREET_STAFF, area=street, username="shuangta")

    phone = phone_page
    login(phone, street_staff)
    phone.goto(f"{live_server.url}/cobuilding/indicators/")
    rows = phone.locator("#unit-indicators tbody tr")
    assert rows.count() == 3
    lecture = phone.locator(f"tr[data-unit='{met.pk}'] td[data-indicator='party-lecture']")
    assert "已完成" in lecture.inner_text()
    households = phone.locator(f"tr[data-unit='{behind.pk}'] td[data-indicator='hardship-households']")
    assert "未达标" in households.inner_text() and "1/3" in households.inner_text()
    assert phone.locator("text=未开展").count() >= 3
    fits(phone)
    screenshot(phone, "indicators-street-phone")

    login(page, street_staff)
    page.goto(f"{live_server.url}/cobuilding/indicators/")
    screenshot(page, "indicators-street-desktop")

    phone.context.clear_cookies()
    login(phone, community_staff)
    phone.goto(f"{live_server.url}/cobuilding/hardship/")
    phone.select_option("#id_organization", label="苏州大学附属第一医院党委")
    phone.fill("#id_household_name", "吴阿婆")
    phone.fill("#id_address", "十全街 20 号 301 室")
    phone.fill("#id_phone", "13912345601")
    phone.fill("#id_situation", "高龄独居，行动不便")
    phone.fill("#id_started_on", f"{year}-03-01")
    phone.click("#hardship-form button[type=submit]")
    phone.wait_for_load_state()
    assert "已登记挂钩联系" in phone.content() and "高龄独居" in phone.content()
    fits(phone)
    screenshot(phone, "hardship-community-phone")

    phone.context.clear_cookies()  # the street's staff: masked
    login(phone, street_staff)
    phone.goto(f"{live_server.url}/cobuilding/hardship/")
    assert "吴**" in phone.content() and "高龄独居" not in phone.content()
