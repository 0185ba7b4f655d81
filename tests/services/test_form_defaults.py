"""What the booking pages propose before anyone types: sensible times, and offers after a conflict."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from services import availability
from services.models import Booking, BookingStatus
from tests.factories import BookingFactory, UserFactory, VenueFactory, VenueRulesFactory, local, next_weekday
from tests.services.test_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def monday():
    return next_weekday(0)


def test_round_up_goes_to_the_next_quarter_hour_or_stays(monday):
    assert availability.round_up(local(monday, 15, 41)) == local(monday, 15, 45)
    assert availability.round_up(local(monday, 15, 45)) == local(monday, 15, 45)
    assert availability.round_up(local(monday, 23, 50)) == local(monday + dt.timedelta(days=1), 0)
    assert availability.round_up(local(monday, 15, 1), dt.timedelta(hours=1)) == local(monday, 16)


@pytest.mark.parametrize(
    ("hour", "minute", "expected_day", "expected_hour"),
    [(15, 41, 0, 16), (8, 0, 0, 8), (19, 59, 0, 20), (20, 1, 1, 9), (23, 30, 1, 9)],
)
def test_default_span_is_the_next_full_hour_or_tomorrow_morning(
    monday, hour, minute, expected_day, expected_hour
):
    start, end = availability.default_span(local(monday, hour, minute))
    assert start == local(monday + dt.timedelta(days=expected_day), expected_hour)
    assert end - start == dt.timedelta(hours=1)


def test_next_free_slot_skips_bookings_closing_time_and_keeps_the_minimum_length(monday):
    venue = VenueFactory()  # the site's default hours: weekdays 09:00–17:00, weekends 09:00–12:00
    BookingFactory(venue=venue, start=local(monday, 10), end=local(monday, 12))
    assert availability.next_free_slot(venue, now=local(monday, 10, 20)) == (
        local(monday, 12),
        local(monday, 13),
    )
    assert availability.next_free_slot(venue, now=local(monday, 12, 5)) == (
        local(monday, 12, 15),
        local(monday, 13, 15),
    )
    # 16:30 leaves half an hour: the next morning.
    tuesday = monday + dt.timedelta(days=1)
    assert availability.next_free_slot(venue, now=local(monday, 16, 30)) == (
        local(tuesday, 9),
        local(tuesday, 10),
    )
    # A room whose shortest booking is 90 minutes: 09:00–10:00 is too short.
    VenueRulesFactory(venue=venue, min_minutes=90)
    venue.refresh_from_db()
    assert availability.next_free_slot(venue, now=local(monday, 7)) == (
        local(monday, 12),
        local(monday, 13, 30),
    )
    # Nothing long enough free in the days looked at.
    BookingFactory(venue=venue, start=local(monday, 12), end=local(monday, 17))
    assert availability.next_free_slot(venue, now=local(monday, 7), days=1) is None


def test_booking_form_without_a_slot_proposes_the_rooms_next_free_hour(client, monday, monkeypatch):
    venue = VenueFactory(capacity=30)
    BookingFactory(venue=venue, start=local(monday, 10), end=local(monday, 12))
    client.force_login(UserFactory(phone="13812345678"))
    monkeypatch.setattr(timezone, "now", lambda: local(monday, 10, 20))
    html = client.get(reverse("services:book", args=[venue.pk])).content.decode()
    assert f'name="date" value="{monday}"' in html
    assert 'name="start_time" value="12:00"' in html and 'name="end_time" value="13:00"' in html
    assert 'value="13812345678"' in html
    # Labels sit above the fields: no ASCII ":" after them.
    assert '<label for="id_date">日期</label>' in html and "日期:" not in html


def test_free_room_search_opens_on_the_next_full_hour(client, monday, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: local(monday, 15, 41))
    html = client.get(reverse("services:free-rooms")).content.decode()
    assert f'name="date" value="{monday}"' in html
    assert 'name="start_time" value="16:00"' in html and 'name="end_time" value="17:00"' in html
    assert "人数:" not in html


def test_an_offered_time_books_with_everything_typed_and_a_bad_one_is_a_clear_400(client, monday):
    venue = VenueFactory()
    BookingFactory(venue=venue, start=local(monday, 9), end=local(monday, 10))
    client.force_login(UserFactory())
    url = reverse("services:book", args=[venue.pk])
    data = form_data(monday, title="支部书记讲党课")
    assert client.post(url, data).status_code == 409
    response = client.post(url, {**data, "slot": f"{monday}T10:00/{monday}T11:00"})
    assert response.status_code == 302
    booked = Booking.objects.get(title="支部书记讲党课")
    assert booked.span == (local(monday, 10), local(monday, 11)) and booked.attendees == 12
    bad = client.post(url, {**data, "slot": "明天上午"})
    assert bad.status_code == 400 and "所选的改约时段有误" in bad.content.decode()
    assert "支部书记讲党课" in bad.content.decode()  # the form comes back as typed


def test_conflict_offers_land_on_quarter_hours_and_keep_the_length(monday):
    venue = VenueFactory()
    BookingFactory(venue=venue, start=local(monday, 9), end=local(monday, 10, 30))
    offers = availability.alternatives(venue, start=local(monday, 9), end=local(monday, 11)).same_room_offers
    assert offers == [(local(monday, 10, 30), local(monday, 17), local(monday, 12, 30))]


def test_pending_booking_message_says_it_waits_for_review(client, monday):
    venue = VenueFactory()
    VenueRulesFactory(venue=venue, needs_approval=True)
    client.force_login(UserFactory())
    response = client.post(reverse("services:book", args=[venue.pk]), form_data(monday), follow=True)
    assert "预约已提交，等待工作人员审核：" in response.content.decode()
    assert Booking.objects.get().status == BookingStatus.PENDING
