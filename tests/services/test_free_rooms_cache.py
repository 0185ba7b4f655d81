"""The public "free rooms" search from the shared cache (sites/page_cache.py), and bookings read by day:
a booking is in the next answer at once; a booking on another day leaves the day's pages cached."""

import datetime as dt
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from services.booking import book_venue, cancel_booking
from services.models import Booking, BookingStatus
from tests.factories import SiteFactory, UserFactory, VenueFactory, local

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2027, 3, 1)
# 07:00 on that Monday in Shanghai: a fixed quarter hour, so the pages' clock buckets stay put.
NOW = dt.datetime(2027, 2, 28, 23, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def room():
    return VenueFactory(name="近处活动室", site=SiteFactory(latitude="31.300000", longitude="120.601000"))


def search(day=MONDAY):
    """Rooms for 10 people near the room's site, 10:30–11:30 on `day`."""
    query = {"date": day, "start_time": "10:30", "end_time": "11:30", "attendees": 10}
    return reverse("services:free-rooms") + "?" + urlencode({**query, "lat": 31.3, "lng": 120.6})


def book(room, day, hour=10):
    return book_venue(
        venue=room, organizer=UserFactory(), start=local(day, hour), end=local(day, hour + 2),
        title="支部党员大会", purpose="three_meetings", attendees=10, contact_phone="13812345678",
        group_name="测试团体",
    )  # fmt: skip


def test_the_search_comes_from_the_cache_and_a_booking_is_in_the_next_answer(
    room, django_assert_num_queries, django_capture_on_commit_callbacks
):
    first = Client().get(search())
    assert first.status_code == 200 and "近处活动室" in first.content.decode() and first["ETag"]
    with django_assert_num_queries(0):
        cached = Client().get(search())
        revalidated = Client().get(search(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert cached.content == first.content and revalidated.status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        booking = book(room, MONDAY)
    taken = Client().get(search(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert taken.status_code == 200 and "近处活动室" not in taken.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking, by=booking.organizer)
    assert "近处活动室" in Client().get(search(), HTTP_IF_NONE_MATCH=taken["ETag"]).content.decode()


def test_a_booking_on_another_day_leaves_that_days_pages_cached(room, django_capture_on_commit_callbacks):
    site_page = reverse("sites:site-detail", args=[room.site_id])
    tuesday = MONDAY + dt.timedelta(days=1)
    etags = {url: Client().get(url)["ETag"] for url in (search(), site_page)}
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(room, tuesday)
    for url, etag in etags.items():  # Monday's search and today's (Monday's) free slots
        assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url
    assert "近处活动室" not in Client().get(search(tuesday)).content.decode()

    # A write that names no day (the admin, a bulk update) reaches every day's pages.
    with django_capture_on_commit_callbacks(execute=True):
        Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    for url, etag in etags.items():
        assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200, url


def test_a_booking_today_changes_the_site_pages_free_slots(room, django_capture_on_commit_callbacks):
    site_page = reverse("sites:site-detail", args=[room.site_id])
    first = Client().get(site_page)
    assert "10:00" in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        book(room, MONDAY, hour=9)  # today, 09:00–11:00
    changed = Client().get(site_page, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.content != first.content


def test_a_bad_search_is_a_400_and_never_kept():
    for _ in range(2):
        bad = Client().get(reverse("services:free-rooms"), {"date": "x", "start_time": "10:00"})
        assert bad.status_code == 400 and "日期格式应为" in bad.content.decode() and "ETag" not in bad
