"""iCalendar feeds with private tokens, and the "free rooms near me" page."""

import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from services.models import BookingStatus, CalendarFeed
from tests.factories import (
    AreaFactory,
    BookingFactory,
    ClosedDateFactory,
    SiteFactory,
    StaffFactory,
    UserFactory,
    VenueFactory,
    local,
    next_weekday,
)

pytestmark = pytest.mark.django_db


def test_organizer_feed_is_valid_ics_and_regenerating_revokes_the_old_url(client):
    organizer = UserFactory()
    booking = BookingFactory(organizer=organizer, title="学习, 讨论; 交流")
    BookingFactory(
        organizer=organizer,
        status=BookingStatus.CANCELLED,
        start=local(next_weekday(1), 9),
        end=local(next_weekday(1), 10),
    )
    BookingFactory()  # someone else's
    client.force_login(organizer)
    client.post(reverse("services:calendar-regenerate"))
    feed = CalendarFeed.objects.get(owner=organizer)
    client.logout()
    response = client.get(reverse("services:calendar-feed", args=[feed.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert b"\r\n" in response.content and b"\\, " in response.content  # CRLF lines, escaped comma
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["summary"]) == "学习, 讨论; 交流"
    assert events[0]["uid"] == f"booking-{booking.pk}@haitang"
    assert events[0].decoded("dtstart") == booking.start
    assert "dtstamp" in events[0]
    old = feed.token
    client.force_login(organizer)
    client.post(reverse("services:calendar-regenerate"))
    assert client.get(reverse("services:calendar-feed", args=[old])).status_code == 404
    feed.refresh_from_db()
    assert client.get(reverse("services:calendar-feed", args=[feed.token])).status_code == 200


def test_room_feed_is_for_area_staff_and_hides_the_organizer(client):
    venue = VenueFactory()
    BookingFactory(venue=venue, contact_phone="13812345678")
    client.force_login(UserFactory())
    assert client.post(reverse("services:calendar-regenerate"), {"venue": venue.pk}).status_code == 403
    client.force_login(StaffFactory())
    assert client.post(reverse("services:calendar-regenerate"), {"venue": venue.pk}).status_code == 404
    staff = StaffFactory(area=venue.site.area)
    client.force_login(staff)
    client.post(reverse("services:calendar-regenerate"), {"venue": venue.pk})
    feed = CalendarFeed.objects.get(owner=staff, venue=venue)
    body = client.get(reverse("services:calendar-feed", args=[feed.token])).content
    assert len(Calendar.from_ical(body).walk("VEVENT")) == 1 and b"13812345678" not in body
    assert client.post(reverse("services:calendar-regenerate"), {"venue": "abc"}).status_code == 404

    # Moved to another area, then deactivated: the old URL stops publishing the room's bookings.
    url = reverse("services:calendar-feed", args=[feed.token])
    staff.area = StaffFactory().area
    staff.save()
    assert client.get(url).status_code == 404
    staff.area = venue.site.area
    staff.is_active = False
    staff.save()
    assert client.get(url).status_code == 404


@pytest.fixture
def rooms():
    monday = next_weekday(0)
    near = VenueFactory(name="近处活动室", site=SiteFactory(latitude="31.300000", longitude="120.601000"))
    nearer = VenueFactory(name="最近活动室", site=SiteFactory(latitude="31.300000", longitude="120.600100"))
    booked = VenueFactory(name="已约活动室", site=SiteFactory(latitude="31.300000", longitude="120.600500"))
    closed = VenueFactory(name="闭馆活动室", site=SiteFactory(latitude="31.300000", longitude="120.600600"))
    VenueFactory(name="远处活动室", site=SiteFactory(latitude="31.330000", longitude="120.600000"))
    VenueFactory(name="小活动室", capacity=5, site=SiteFactory(latitude="31.300000", longitude="120.600200"))
    BookingFactory(venue=booked, start=local(monday, 10), end=local(monday, 12))
    ClosedDateFactory(venue=closed, date=monday)
    return monday, near, nearer


def test_free_rooms_near_a_point_by_distance(client, rooms, django_assert_num_queries):
    monday, near, nearer = rooms
    params = {
        "date": monday.isoformat(),
        "start_time": "10:30",
        "end_time": "11:30",
        "attendees": "10",
        "lat": "31.300000",
        "lng": "120.600000",
    }
    with django_assert_num_queries(4):  # areas for the drop-down, rooms, bookings, closed dates
        response = client.get(reverse("services:free-rooms"), params)
    html = response.content.decode()
    assert html.index(nearer.name) < html.index(near.name)
    for absent in ("已约活动室", "闭馆活动室", "远处活动室", "小活动室"):
        assert absent not in html
    assert "约 95 米" in html
    # Where it searched, in words a person reads: not the coordinates the browser sent.
    status = re.search(r'id="location-status">([^<]*)<', html).group(1)
    assert status == f"在您所在的位置附近查找，最近的是{nearer.site.name}"
    assert "31.3" not in status


def test_free_rooms_in_an_area_without_location(client, rooms):
    monday, near, _ = rooms
    params = {
        "date": monday.isoformat(),
        "start_time": "10:30",
        "end_time": "11:30",
        "attendees": "10",
        "area": AreaFactory(level="district").pk,
    }
    assert "没有找到" in client.get(reverse("services:free-rooms"), params).content.decode()
    district = near.site.area.parent.parent
    params["area"] = district.pk
    assert near.name in client.get(reverse("services:free-rooms"), params).content.decode()


def test_free_rooms_bad_input_is_a_400_with_the_form(client):
    response = client.get(reverse("services:free-rooms"), {"date": "x", "start_time": "10:00"})
    html = response.content.decode()
    assert response.status_code == 400 and "日期格式应为" in html and 'value="10:00"' in html
    far = client.get(
        reverse("services:free-rooms"),
        {"date": "0001-01-01", "start_time": "00:00", "end_time": "01:00", "attendees": "1", "area": "1"},
    )
    assert far.status_code == 400 and "日期应在 2000-01-01 到 2100-12-31 之间" in far.content.decode()
    response = client.get(
        reverse("services:free-rooms"),
        {"date": "2026-01-05", "start_time": "10:00", "end_time": "11:00", "attendees": "3"},
    )
    assert response.status_code == 400 and "使用我的位置" in response.content.decode()
    assert client.get(reverse("services:free-rooms")).status_code == 200
