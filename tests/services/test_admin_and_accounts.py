"""The admin's booking list with approve / reject actions, rules and closed dates; password pages."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from services.models import BookingStatus
from tests.factories import (
    BookingFactory,
    ClosedDateFactory,
    StaffFactory,
    UserFactory,
    VenueFactory,
    VenueRulesFactory,
    local,
    next_weekday,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    venue = VenueFactory()
    staff = StaffFactory(area=venue.site.area)
    client.force_login(staff)
    return venue, staff


def test_changelist_scoped_latest_first_pending_by_filter_constant_queries(
    client, setup, django_assert_num_queries
):
    venue, _ = setup
    monday = next_weekday(0)
    BookingFactory(venue=venue, title="下周预约", start=local(monday, 9), end=local(monday, 10))
    BookingFactory(
        venue=venue,
        title="待审预约",
        status=BookingStatus.PENDING,
        start=local(monday - dt.timedelta(days=3), 9),
        end=local(monday - dt.timedelta(days=3), 10),
    )
    BookingFactory(title="外区预约")
    url = reverse("admin:services_booking_changelist")
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("下周预约") < html.index("待审预约") and "外区预约" not in html  # latest first
    pending = client.get(url, {"status__exact": "pending"}).content.decode()
    assert "待审预约" in pending and "下周预约" not in pending
    with django_assert_num_queries(7) as first:
        client.get(url)
    for hour in (13, 14, 15):
        BookingFactory(venue=venue, start=local(monday, hour), end=local(monday, hour + 1))
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_admin_approve_and_reject_with_reason(client, setup, django_capture_on_commit_callbacks):
    venue, staff = setup
    monday = next_weekday(0)
    organizer = UserFactory(email="o@example.com")
    a = BookingFactory(venue=venue, organizer=organizer, status=BookingStatus.PENDING)
    b = BookingFactory(
        venue=venue,
        organizer=organizer,
        status=BookingStatus.PENDING,
        start=local(monday, 14),
        end=local(monday, 15),
    )
    url = reverse("admin:services_booking_changelist")
    client.post(url, {"action": "approve", "_selected_action": [a.pk]})
    ask = client.post(url, {"action": "reject", "_selected_action": [b.pk]})
    assert ask.status_code == 200 and "请填写驳回原因" in ask.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "reject", "_selected_action": [b.pk], "reason": "与区里活动冲突"})
    assert "与区里活动冲突" in mail.outbox[-1].body
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == BookingStatus.CONFIRMED and a.decided_by == staff
    assert b.status == BookingStatus.REJECTED and b.reject_reason == "与区里活动冲突"


def test_other_areas_rules_and_closed_dates_are_404(client, setup):
    venue, _ = setup
    mine = VenueRulesFactory(venue=venue)
    theirs = VenueRulesFactory()
    closed = ClosedDateFactory()
    assert client.get(reverse("admin:services_venuerules_change", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:services_venuerules_change", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("admin:services_closeddate_change", args=[closed.pk])).status_code == 404


def test_add_closed_date_in_admin(client, setup):
    venue, _ = setup
    response = client.post(
        reverse("admin:services_closeddate_add"),
        {"venue": venue.pk, "date": next_weekday(2).isoformat(), "reason": "消防检查"},
    )
    assert response.status_code == 302
    assert venue.closed_dates.get().reason == "消防检查"


def test_password_change_and_reset_pages(client):
    user = UserFactory(email="me@example.com")
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert "修改密码" in page.content.decode()
    assert '<label for="id_old_password">旧密码</label>' in page.content.decode()  # no ASCII ":" suffix
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pass-word-123",
            "new_password1": "haitang-new-42",
            "new_password2": "haitang-new-42",
        },
    )
    assert response.status_code == 302
    assert "密码已修改" in client.get(response.url).content.decode()
    client.logout()
    assert "找回密码" in client.get(reverse("password_reset")).content.decode()
    client.post(reverse("password_reset"), {"email": "me@example.com"})
    assert len(mail.outbox) == 1 and "重设密码" in mail.outbox[0].subject
    assert "/accounts/reset/" in mail.outbox[0].body


@pytest.mark.parametrize("date", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_a_closed_date_outside_the_booking_calendar_is_refused(setup, client, date):
    venue, _ = setup
    response = client.post(
        reverse("admin:services_closeddate_add"), {"venue": venue.pk, "date": date, "reason": "检修"}
    )
    assert (
        response.status_code == 200
        and "日期应在 2000-01-01 到 2100-12-31 之间。" in response.content.decode()
    )
    assert not venue.closed_dates.exists()
