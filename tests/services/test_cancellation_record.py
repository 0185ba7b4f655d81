"""A cancelled booking records who cancelled it and when; area staff see it in the admin and the API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from services.booking import cancel_booking
from services.models import Booking, BookingSeries, BookingStatus
from tests.factories import BookingFactory, StaffFactory, VenueFactory, local, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def venue():
    return VenueFactory()


@pytest.fixture
def staff(venue):
    return StaffFactory(area=venue.site.area, last_name="周", first_name="敏")


def test_the_organiser_cancelling_on_the_page_is_recorded(client, venue):
    booking = BookingFactory(venue=venue)
    client.force_login(booking.organizer)
    before = timezone.now()
    assert client.post(reverse("services:cancel", args=[booking.pk])).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_by == booking.organizer
    assert before <= booking.cancelled_at <= timezone.now()


def test_a_series_cancelled_from_one_date_on_records_it_on_each(venue, staff):
    monday = next_weekday(0)
    organizer = BookingFactory(venue=venue).organizer
    series = BookingSeries.objects.create(venue=venue, organizer=organizer, frequency="weekly", weekdays=[0])
    bookings = [
        BookingFactory(
            venue=venue,
            organizer=organizer,
            series=series,
            start=local(monday + dt.timedelta(weeks=k), 15),
            end=local(monday + dt.timedelta(weeks=k), 16),
        )
        for k in range(3)
    ]
    cancelled = cancel_booking(booking=bookings[1], by=staff, and_later=True)
    assert {b.pk for b in cancelled} == {bookings[1].pk, bookings[2].pk}
    rows = {b.pk: b for b in Booking.objects.filter(series=series)}
    assert rows[bookings[0].pk].cancelled_by is None and rows[bookings[0].pk].cancelled_at is None
    for b in bookings[1:]:
        assert rows[b.pk].cancelled_by == staff and rows[b.pk].cancelled_at is not None
    assert len({rows[b.pk].cancelled_at for b in bookings[1:]}) == 1  # one UPDATE


def test_staff_see_who_cancelled_in_the_admin_read_only(client, venue, staff):
    booking = BookingFactory(venue=venue)
    client.force_login(staff)
    response = client.post(
        reverse("admin:services_booking_changelist"), {"action": "cancel", "_selected_action": [booking.pk]}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_by == staff
    page = client.get(reverse("admin:services_booking_change", args=[booking.pk])).content.decode()
    assert "取消人" in page and "周敏" in page and "取消时间" in page
    assert 'name="cancelled_by"' not in page  # shown, never edited


def test_the_api_shows_who_cancelled_to_area_staff_only(venue, staff):
    booking = BookingFactory(venue=venue)
    cancel_booking(booking=booking, by=staff)
    api = APIClient()

    api.force_authenticate(staff)
    row = api.get(reverse("services:api-bookings")).json()["results"][0]
    assert row["status"] == "cancelled" and row["cancelled_by"] == "周敏"
    assert row["cancelled_at"] is not None

    api.force_authenticate(booking.organizer)
    row = api.get(reverse("services:api-bookings")).json()["results"][0]
    assert row["status"] == "cancelled" and row["cancelled_by"] is None and row["cancelled_at"] is None
