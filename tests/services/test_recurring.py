"""Recurring bookings: weekly and monthly rules, preview with clashes, book all or skip, cancel the rest."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from services.booking import BookingConflict, book_series, series_spans
from services.models import Booking, BookingSeries, BookingStatus
from services.recurrence import describe, occurrence_dates
from tests.factories import BookingFactory, UserFactory, VenueFactory, VenueRulesFactory, local, next_weekday

pytestmark = pytest.mark.django_db

DETAILS = {
    "title": "党课",
    "purpose": "three_meetings",
    "attendees": 10,
    "contact_phone": "13812345678",
    "group_name": "第一党支部",
    "organization": None,
}


def test_weekly_on_chosen_weekdays_until_a_date():
    first = dt.date(2026, 1, 5)  # a Monday
    dates = occurrence_dates(
        frequency="weekly", first_date=first, weekdays=[0, 2], until=dt.date(2026, 1, 16)
    )
    assert dates == [dt.date(2026, 1, d) for d in (5, 7, 12, 14)]


def test_monthly_on_the_first_friday_n_times():
    dates = occurrence_dates(
        frequency="monthly", first_date=dt.date(2026, 1, 1), weekdays=[4], week_of_month=1, count=3
    )
    assert dates == [dt.date(2026, 1, 2), dt.date(2026, 2, 6), dt.date(2026, 3, 6)]
    assert describe("monthly", [4], 1, None, 3) == "每月第一个周五，共 3 次"
    assert describe("weekly", [0, 2], None, dt.date(2026, 1, 16), None) == "每周一、周三，至 2026-01-16"


def test_series_needs_an_end():
    with pytest.raises(ValidationError, match="截止日期或次数"):
        series_spans(
            start=local(next_weekday(), 9), end=local(next_weekday(), 10), frequency="weekly", weekdays=[0]
        )


@pytest.fixture
def venue():
    venue = VenueFactory()
    VenueRulesFactory(venue=venue, advance_days=60)
    return venue


def spans_for(weeks=3):
    monday = next_weekday(0)
    return series_spans(
        start=local(monday, 9), end=local(monday, 10), frequency="weekly", weekdays=[0], count=weeks
    )


def test_book_all_is_all_or_nothing(venue):
    spans = spans_for()
    BookingFactory(venue=venue, start=spans[1][0], end=spans[1][1])
    with pytest.raises(BookingConflict):
        book_series(
            venue=venue,
            organizer=UserFactory(),
            spans=spans,
            skip_clashing=False,
            frequency="weekly",
            weekdays=[0],
            count=3,
            **DETAILS,
        )
    assert Booking.objects.count() == 1 and not BookingSeries.objects.exists()


def test_skip_clashing_books_the_rest(venue):
    spans = spans_for()
    BookingFactory(venue=venue, start=spans[1][0], end=spans[1][1])
    series, booked, skipped = book_series(
        venue=venue,
        organizer=UserFactory(),
        spans=spans,
        skip_clashing=True,
        frequency="weekly",
        weekdays=[0],
        count=3,
        **DETAILS,
    )
    assert [b.start for b in booked] == [spans[0][0], spans[2][0]]
    assert skipped == [spans[1]]
    assert series.bookings.count() == 2


def test_preview_then_book_through_the_page_and_cancel_this_and_later(client, venue):
    organizer = UserFactory()
    client.force_login(organizer)
    monday = next_weekday(0)
    BookingFactory(
        venue=venue,
        start=local(monday + dt.timedelta(days=7), 9),
        end=local(monday + dt.timedelta(days=7), 10),
    )
    data = {
        "date": monday.isoformat(),
        "start_time": "09:00",
        "end_time": "10:00",
        "title": "每周学习",
        "purpose": "training",
        "group_name": "学习小组",
        "attendees": "8",
        "contact_phone": "13812345678",
        "repeat": "weekly",
        "weekdays": ["0"],
        "count": "4",
    }
    url = reverse("services:book", args=[venue.pk])
    preview = client.post(url, data).content.decode()
    assert preview.count("可预约") == 3 and preview.count("已被预约") == 1
    assert "跳过冲突，预约其余" in preview and not Booking.objects.filter(organizer=organizer).exists()
    all_or_nothing = client.post(url, {**data, "action": "book_all"})
    assert all_or_nothing.status_code == 409 and not Booking.objects.filter(organizer=organizer).exists()
    response = client.post(url, {**data, "action": "skip"})
    assert response.status_code == 302
    mine = list(Booking.objects.filter(organizer=organizer).order_by("start"))
    assert len(mine) == 3 and mine[0].series_id == mine[2].series_id
    client.post(reverse("services:cancel", args=[mine[1].pk]), {"and_later": "on"})
    statuses = list(
        Booking.objects.filter(organizer=organizer).order_by("start").values_list("status", flat=True)
    )
    assert statuses == [BookingStatus.CONFIRMED, BookingStatus.CANCELLED, BookingStatus.CANCELLED]


def test_cancel_one_occurrence_leaves_the_others(client, venue):
    organizer = UserFactory()
    _, booked, _ = book_series(
        venue=venue,
        organizer=organizer,
        spans=spans_for(),
        skip_clashing=False,
        frequency="weekly",
        weekdays=[0],
        count=3,
        **DETAILS,
    )
    client.force_login(organizer)
    client.post(reverse("services:cancel", args=[booked[0].pk]))
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 2


def test_monthly_form_needs_one_weekday_and_which_week(client, venue):
    client.force_login(UserFactory())
    data = {
        "date": next_weekday(4).isoformat(),
        "start_time": "09:00",
        "end_time": "10:00",
        "title": "主题党日",
        "purpose": "party_day",
        "group_name": "支部",
        "attendees": "8",
        "contact_phone": "13812345678",
        "repeat": "monthly",
        "weekdays": ["3", "4"],
        "until": "",
    }
    html = client.post(reverse("services:book", args=[venue.pk]), data).content.decode()
    assert "请选择每月第几个星期几" in html and "请填写重复截止日期或重复次数" in html


def test_until_before_the_first_date_is_a_form_error(client, venue):
    client.force_login(UserFactory())
    first = next_weekday(4)
    data = {
        "date": first.isoformat(),
        "start_time": "09:00",
        "end_time": "10:00",
        "title": "周例会",
        "purpose": "three_meetings",
        "group_name": "支部",
        "attendees": "8",
        "contact_phone": "13812345678",
        "repeat": "weekly",
        "until": (first - dt.timedelta(days=7)).isoformat(),
    }
    response = client.post(reverse("services:book", args=[venue.pk]), data)
    assert response.status_code == 400 and "重复截止日期不能早于首次日期" in response.content.decode()
    assert not Booking.objects.exists()
