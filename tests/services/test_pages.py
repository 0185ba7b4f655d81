"""The booking pages through HTTP: room week/day, booking form, conflict view, my bookings, review queue."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from services.models import Booking, BookingStatus
from tests.factories import (
    BookingFactory,
    ClosedDateFactory,
    OrganizationFactory,
    SiteFactory,
    StaffFactory,
    UserFactory,
    VenueFactory,
    VenueRulesFactory,
    local,
    next_weekday,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def monday():
    return next_weekday(0)


@pytest.fixture
def venue():
    return VenueFactory(name="党员活动室", capacity=30)


def form_data(date, start="09:00", end="10:00", **extra):
    return {
        "date": date.isoformat(),
        "start_time": start,
        "end_time": end,
        "title": "主题党日",
        "purpose": "party_day",
        "group_name": "第一党支部",
        "attendees": "12",
        "contact_phone": "13812345678",
        **extra,
    }


def test_week_view_shows_free_and_taken_slots_without_names(client, venue, monday, django_assert_num_queries):
    BookingFactory(venue=venue, start=local(monday, 10), end=local(monday, 11), title="机密会议")
    ClosedDateFactory(venue=venue, date=monday + dt.timedelta(days=1), reason="设备检修")
    url = reverse("services:room-detail", args=[venue.pk])
    with django_assert_num_queries(3):  # room+site+rules, closed dates, bookings
        response = client.get(url, {"date": monday.isoformat()})
    html = response.content.decode()
    assert response.status_code == 200
    assert "10:00–11:00 已被预约" in html and "机密会议" not in html
    assert "闭馆：设备检修" in html
    assert reverse("services:book", args=[venue.pk]) + f"?start={monday}T09%3A00" in html
    # More bookings, same number of queries.
    for hour in (13, 14, 15):
        BookingFactory(venue=venue, start=local(monday, hour), end=local(monday, hour + 1))
    with django_assert_num_queries(3):
        client.get(url, {"date": monday.isoformat()})


def test_week_is_the_seven_days_from_the_date_asked_for(client, venue, monday):
    sunday = monday + dt.timedelta(days=6)
    html = client.get(reverse("services:room-detail", args=[venue.pk]), {"date": sunday}).content.decode()
    days = re.findall(r'<section class="day[^"]*" aria-label="([^"]+)"', html)
    assert len(days) == 7 and days[0] == f"{sunday.month}月{sunday.day}日"  # Sunday first, not gone Monday
    following = sunday + dt.timedelta(days=7)
    assert f"date={following}" in html  # 下一周 goes on from the last day shown


def test_day_view_and_bad_parameters(client, venue, monday):
    url = reverse("services:room-detail", args=[venue.pk])
    assert client.get(url, {"date": monday.isoformat(), "view": "day"}).status_code == 200
    bad = client.get(url, {"date": "2026-13-45"})
    assert bad.status_code == 400 and "日期应写成" in bad.content.decode()
    assert client.get(url, {"view": "month"}).status_code == 400
    for day in ("0001-01-01", "9999-12-31"):  # a week back or on would leave Python's dates: no 500
        far = client.get(url, {"date": day})
        assert far.status_code == 400 and "2000 到 2100 年之间" in far.content.decode()
    assert (
        client.get(reverse("services:room-detail", args=[VenueFactory(is_bookable=False).pk])).status_code
        == 404
    )


def test_booking_form_requires_login(client, venue):
    response = client.get(reverse("services:book", args=[venue.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_book_from_a_slot_and_see_it_in_my_bookings(client, venue, monday):
    organizer = UserFactory(phone="13900001111")
    client.force_login(organizer)
    url = reverse("services:book", args=[venue.pk])
    page = client.get(url, {"start": f"{monday}T09:00", "end": f"{monday}T10:00"}).content.decode()
    assert 'value="09:00"' in page and "13900001111" in page
    response = client.post(url, form_data(monday))
    assert response.status_code == 302 and response.url == reverse("services:my-bookings")
    booking = Booking.objects.get()
    assert (booking.organizer, booking.status, booking.start) == (
        organizer,
        BookingStatus.CONFIRMED,
        local(monday, 9),
    )
    mine = client.get(reverse("services:my-bookings")).content.decode()
    assert "主题党日" in mine and "已确认" in mine


def test_bad_slot_link_is_a_400(client, venue):
    client.force_login(UserFactory())
    response = client.get(reverse("services:book", args=[venue.pk]), {"start": "tomorrow"})
    assert response.status_code == 400 and "链接参数有误" in response.content.decode()
    assert client.get(reverse("services:book", args=[venue.pk]), {"again": "x"}).status_code == 400


def test_errors_keep_the_input_and_speak_chinese(client, venue, monday):
    client.force_login(UserFactory())
    response = client.post(
        reverse("services:book", args=[venue.pk]), form_data(monday, "08:00", "10:00", attendees="99")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "不在开放时间内" in html and "超过活动室容纳人数 30 人" in html
    assert 'value="第一党支部"' in html and 'value="08:00"' in html
    assert not Booking.objects.exists()
    bad = client.post(reverse("services:book", args=[venue.pk]), form_data(monday, "10:00", "09:00"))
    assert "结束时间须晚于开始时间" in bad.content.decode()


def test_conflict_shows_the_clash_free_times_and_nearby_rooms(client, monday):
    venue = VenueFactory(site=SiteFactory(latitude="31.300000", longitude="120.600000"))
    BookingFactory(venue=venue, start=local(monday, 9), end=local(monday, 10), title="别人的会")
    near = VenueFactory(site=SiteFactory(latitude="31.300000", longitude="120.605000"), name="隔壁多功能厅")
    far = VenueFactory(site=SiteFactory(latitude="31.400000", longitude="120.600000"), name="远处会议室")
    client.force_login(UserFactory())
    response = client.post(reverse("services:book", args=[venue.pk]), form_data(monday))
    html = response.content.decode()
    assert response.status_code == 409
    assert "该时段已被预约" in html and "09:00–10:00 已被预约" in html and "别人的会" not in html
    # Each offer keeps the booking's length and re-posts the typed form (form="booking-form").
    assert "改约 10:00–11:00" in html and "空闲 10:00–17:00" in html and 'form="booking-form"' in html
    assert near.name in html and far.name not in html
    assert 'value="主题党日"' in html
    assert Booking.objects.count() == 1


def test_my_bookings_queries_are_constant(client, monday, django_assert_num_queries):
    organizer = UserFactory()
    client.force_login(organizer)
    BookingFactory(organizer=organizer)
    BookingFactory(
        organizer=organizer, start=local(next_weekday(0, -1), 10), end=local(next_weekday(0, -1), 11)
    )
    # session, user, upcoming count and page, past count and page, feed, room feeds, header 待办 count
    with django_assert_num_queries(9):
        client.get(reverse("services:my-bookings"))
    for weeks in (-3, -2, 2, 3):
        BookingFactory(
            organizer=organizer,
            start=local(next_weekday(1, weeks), 10),
            end=local(next_weekday(1, weeks), 11),
        )
    with django_assert_num_queries(9):
        response = client.get(reverse("services:my-bookings"))
    assert response.content.decode().count("再次预约") == 6


def test_my_bookings_pages_upcoming_and_past_each_by_twenty(client):
    organizer = UserFactory()
    client.force_login(organizer)
    for day in range(1, 23):  # 22 upcoming
        date = timezone.localdate() + dt.timedelta(days=day)
        BookingFactory(organizer=organizer, start=local(date, 10), end=local(date, 11))
    html = client.get(reverse("services:my-bookings"), {"page": "1"}).content.decode()
    upcoming = html[html.index('id="upcoming"') : html.index('id="past"')]
    assert upcoming.count("<li>") == 20 and "第 1 / 2 页" in upcoming
    assert "?page=1&amp;upcoming_page=2" in upcoming  # the other list's page is kept
    second = client.get(reverse("services:my-bookings"), {"upcoming_page": "2"}).content.decode()
    assert second[second.index('id="upcoming"') : second.index('id="past"')].count("<li>") == 2


def test_cancel_before_start_and_book_again(client, venue, monday):
    booking = BookingFactory(venue=venue, title="周例会")
    client.force_login(booking.organizer)
    response = client.post(reverse("services:cancel", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    again = client.get(reverse("services:book", args=[venue.pk]), {"again": booking.pk}).content.decode()
    assert 'value="周例会"' in again and 'value="10:00"' in again


@pytest.mark.parametrize(
    "next_url, lands_on",
    [
        ("/rooms/free/", "/rooms/free/"),
        ("//evil.example/", "/bookings/mine/"),
        ("/\\evil.example/", "/bookings/mine/"),
        ("https://evil.example/", "/bookings/mine/"),
    ],
)
def test_cancel_goes_back_only_within_the_site(client, venue, next_url, lands_on):
    booking = BookingFactory(venue=venue)
    client.force_login(booking.organizer)
    response = client.post(reverse("services:cancel", args=[booking.pk]), {"next": next_url})
    assert response.status_code == 302 and response["Location"] == lands_on


def test_others_bookings_are_404_even_to_confirm(client, venue):
    booking = BookingFactory(venue=venue)
    client.force_login(UserFactory())
    assert client.post(reverse("services:cancel", args=[booking.pk])).status_code == 404
    assert client.get(reverse("services:cancel", args=[booking.pk])).status_code == 404
    assert client.get(reverse("services:book", args=[venue.pk]), {"again": booking.pk}).status_code == 404


def test_review_queue_pending_first_oldest_first_scoped(client, monday, django_assert_num_queries):
    venue = VenueFactory()
    staff = StaffFactory(area=venue.site.area)
    confirmed = BookingFactory(
        venue=venue,
        title="刚批准的",
        start=local(monday, 9),
        end=local(monday, 10),
        decided_at=timezone.now(),
    )
    BookingFactory(  # decided long ago, or confirmed at once without review: not the queue's business
        venue=venue,
        title="早已批准的",
        start=local(monday, 11),
        end=local(monday, 12),
        decided_at=timezone.now() - dt.timedelta(days=8),
    )
    BookingFactory(venue=venue, title="无需审核的", start=local(monday, 12), end=local(monday, 13))
    older = BookingFactory(
        venue=venue,
        title="较早申请",
        status=BookingStatus.PENDING,
        start=local(monday, 14),
        end=local(monday, 15),
    )
    newer = BookingFactory(venue=venue, title="较晚申请", status=BookingStatus.PENDING)
    BookingFactory(title="别的社区", status=BookingStatus.PENDING)
    Booking.objects.filter(pk=older.pk).update(created_at=newer.created_at - dt.timedelta(hours=1))
    client.force_login(staff)
    with django_assert_num_queries(7):  # session, user, area, pending count+page, decisions, 待办 count
        html = client.get(reverse("services:review-queue")).content.decode()
    assert (
        html.index("较早申请")
        < html.index("较晚申请")
        < html.index('id="decided"')
        < html.index(confirmed.title)
    )
    assert "别的社区" not in html and "早已批准的" not in html and "无需审核的" not in html
    for day in (1, 2, 3):
        BookingFactory(
            venue=venue,
            status=BookingStatus.PENDING,
            start=local(monday + dt.timedelta(days=day), 9),
            end=local(monday + dt.timedelta(days=day), 10),
        )
    with django_assert_num_queries(7):
        client.get(reverse("services:review-queue"))


def test_staff_approve_and_reject_on_the_staff_page(client, monday):
    venue = VenueFactory()
    staff = StaffFactory(area=venue.site.area)
    a = BookingFactory(venue=venue, status=BookingStatus.PENDING)
    b = BookingFactory(
        venue=venue, status=BookingStatus.PENDING, start=local(monday, 14), end=local(monday, 15)
    )
    client.force_login(staff)
    client.post(reverse("services:approve", args=[a.pk]))
    response = client.post(reverse("services:reject", args=[b.pk]), {"reason": ""}, follow=True)
    assert "驳回须填写原因" in response.content.decode()
    client.post(reverse("services:reject", args=[b.pk]), {"reason": "场地维修"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == BookingStatus.CONFIRMED and b.status == BookingStatus.REJECTED
    assert b.reject_reason == "场地维修"


def test_review_queue_is_for_staff_and_their_area_only(client):
    booking = BookingFactory(status=BookingStatus.PENDING)
    client.force_login(UserFactory())
    assert client.get(reverse("services:review-queue")).status_code == 403
    client.force_login(StaffFactory())
    assert client.post(reverse("services:approve", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING


def test_organisation_choice_is_the_organizers_own(client, venue, monday):
    org = OrganizationFactory(name="桐泾社区第一党支部")
    other = OrganizationFactory(name="别的支部")
    client.force_login(UserFactory(organization=org))
    page = client.get(reverse("services:book", args=[venue.pk])).content.decode()
    assert org.name in page and other.name not in page
    response = client.post(
        reverse("services:book", args=[venue.pk]), form_data(monday, organization=other.pk, group_name="")
    )
    assert response.status_code == 400 and not Booking.objects.exists()


def test_room_hours_and_pending_status_shown(client, monday):
    venue = VenueFactory()
    VenueRulesFactory(venue=venue, needs_approval=True)
    client.force_login(UserFactory(email="x@example.com"))
    client.post(reverse("services:book", args=[venue.pk]), form_data(monday))
    assert Booking.objects.get().status == BookingStatus.PENDING
    assert len(mail.outbox) == 0 or "等待工作人员审核" in mail.outbox[0].subject


@pytest.mark.parametrize(
    "slot", ["garbage", "2030-01-07T09:00", "a/b/c", "2030-13-07T09:00/2030-01-07T10:00"]
)
def test_a_malformed_slot_keeps_everything_typed_with_a_chinese_error(client, monday, slot):
    client.force_login(UserFactory())
    venue = VenueFactory()
    form = {
        "date": monday.isoformat(), "start_time": "09:00", "end_time": "10:00", "title": "银发课堂第三讲",
        "purpose": "training", "group_name": "夕阳红合唱团", "attendees": "12",
        "contact_phone": "13912345678", "slot": slot,
    }  # fmt: skip
    response = client.post(reverse("services:book", args=[venue.pk]), form)
    page = response.content.decode()
    assert response.status_code == 400 and "所选的改约时段有误" in page
    for typed in (
        "银发课堂第三讲",
        "夕阳红合唱团",
        'value="12"',
        "13912345678",
        "training",
        monday.isoformat(),
    ):
        assert typed in page
    assert not Booking.objects.exists()
