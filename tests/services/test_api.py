"""The booking API: availability, free rooms, create / cancel / approve / reject, status codes, schema."""

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from services.models import Booking, BookingStatus
from tests.factories import (
    BookingFactory,
    SiteFactory,
    StaffFactory,
    UserFactory,
    VenueFactory,
    local,
    next_weekday,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def monday():
    return next_weekday(0)


def payload(venue, monday, start=9, end=10, **extra):
    return {
        "venue": venue.pk,
        "start": local(monday, start).isoformat(),
        "end": local(monday, end).isoformat(),
        "title": "三会一课",
        "purpose": "three_meetings",
        "attendees": 8,
        "contact_phone": "13812345678",
        "group_name": "第二党小组",
        **extra,
    }


def test_create_201_then_409_with_clash_and_alternatives(api, monday):
    venue = VenueFactory(site=SiteFactory(latitude="31.300000", longitude="120.600000"))
    near = VenueFactory(site=SiteFactory(latitude="31.301000", longitude="120.601000"))
    api.force_authenticate(UserFactory())
    created = api.post(reverse("services:api-bookings"), payload(venue, monday), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "confirmed"
    api.force_authenticate(UserFactory())
    clash = api.post(reverse("services:api-bookings"), payload(venue, monday, 9, 11), format="json")
    assert clash.status_code == 409
    body = clash.json()
    assert body["detail"].startswith("该时段已被预约")
    assert body["clashes"][0]["label"] == "已被预约" and "title" not in body["clashes"][0]
    assert body["free_same_room"][0]["start"].startswith(f"{monday}T10:00")
    assert [room["id"] for room in body["nearby"]] == [near.pk]
    assert Booking.objects.count() == 1


def test_a_booking_costs_a_fixed_number_of_queries(api, monday, django_assert_num_queries):
    """The room comes with its site, area and rules; on PostgreSQL the exclusion constraint is the clash
    check (no SELECT before the INSERT). Then the closed dates, the no-show hold, the insert, and the
    organiser's 站内信 (their channel choice, the row, the row read back), in a savepoint here."""
    venue = VenueFactory()
    api.force_authenticate(UserFactory())
    with django_assert_num_queries(9 if connection.vendor == "postgresql" else 10):
        created = api.post(reverse("services:api-bookings"), payload(venue, monday), format="json")
    assert created.status_code == 201, created.content
    assert Booking.objects.count() == 1


def test_create_400_with_chinese_messages(api, monday):
    venue = VenueFactory(capacity=5)
    api.force_authenticate(UserFactory())
    response = api.post(reverse("services:api-bookings"), payload(venue, monday, attendees=50), format="json")
    assert response.status_code == 400
    assert "超过活动室容纳人数 5 人" in response.json()["detail"]
    missing = api.post(reverse("services:api-bookings"), {"venue": venue.pk}, format="json")
    assert missing.status_code == 400 and "该字段是必填项。" in missing.json()["title"]
    nowhere = api.post(
        reverse("services:api-bookings"), {**payload(venue, monday), "venue": 999999}, format="json"
    )
    assert nowhere.status_code == 400 and "venue" in nowhere.json()


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:00"])
def test_dates_at_the_ends_of_the_calendar_are_400s(api, monday, when):
    """Python's date range ends there: converting to UTC or adding a week would overflow (a 500)."""
    venue = VenueFactory()
    api.force_authenticate(UserFactory())
    created = api.post(
        reverse("services:api-bookings"), {**payload(venue, monday), "start": when}, format="json"
    )
    assert created.status_code == 400 and created.json()["start"] == [
        "日期应在 2000-01-01 到 2100-12-31 之间。"
    ]
    free = api.get(
        reverse("services:api-free-rooms"),
        {"start": when, "end": "2026-12-21T11:00", "area": venue.site.area_id},
    )
    assert free.status_code == 400 and "2000-01-01" in free.json()["start"][0]
    for day in ("0001-01-01", "9999-12-31"):
        week = api.get(reverse("services:api-availability"), {"venue": venue.pk, "date": day, "days": 7})
        assert week.status_code == 400 and "2000-01-01" in week.json()["date"][0]
    assert not Booking.objects.exists()


def test_create_needs_login(api, monday):
    response = api.post(reverse("services:api-bookings"), payload(VenueFactory(), monday), format="json")
    assert response.status_code == 403


def test_cancel_approve_reject_by_role(api, monday):
    venue = VenueFactory()
    staff = StaffFactory(area=venue.site.area)
    pending = BookingFactory(venue=venue, status=BookingStatus.PENDING)
    other = BookingFactory(
        venue=venue, status=BookingStatus.PENDING, start=local(monday, 14), end=local(monday, 15)
    )

    api.force_authenticate(pending.organizer)
    assert api.post(reverse("services:api-approve", args=[pending.pk])).status_code == 403
    assert api.post(reverse("services:api-approve", args=[other.pk])).status_code == 404

    api.force_authenticate(StaffFactory())  # another community's staff
    assert api.post(reverse("services:api-approve", args=[pending.pk])).status_code == 404

    api.force_authenticate(staff)
    approved = api.post(reverse("services:api-approve", args=[pending.pk]))
    assert approved.status_code == 200 and approved.json()["status"] == "confirmed"
    again = api.post(reverse("services:api-approve", args=[pending.pk]))
    assert again.status_code == 409 and "已处理过" in again.json()["detail"]
    no_reason = api.post(reverse("services:api-reject", args=[other.pk]), {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    rejected = api.post(
        reverse("services:api-reject", args=[other.pk]), {"reason": "场地检修"}, format="json"
    )
    assert rejected.status_code == 200 and rejected.json()["reject_reason"] == "场地检修"

    api.force_authenticate(pending.organizer)
    cancelled = api.post(reverse("services:api-cancel", args=[pending.pk]))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert api.post(reverse("services:api-cancel", args=[pending.pk])).status_code == 409


def test_list_is_scoped_masks_phones_and_has_constant_queries(api, monday, django_assert_num_queries):
    venue = VenueFactory()
    staff = StaffFactory(area=venue.site.area)
    BookingFactory(venue=venue, contact_phone="13811112222")
    BookingFactory(contact_phone="13933334444")  # another area
    api.force_authenticate(staff)
    with django_assert_num_queries(2):  # count, page (user is force-authenticated: no session query)
        response = api.get(reverse("services:api-bookings"))
    rows = response.json()["results"]
    assert [r["contact_phone"] for r in rows] == ["13811112222"]
    for hour in (11, 13, 14):
        BookingFactory(venue=venue, start=local(monday, hour), end=local(monday, hour + 1))
    with django_assert_num_queries(2):
        assert api.get(reverse("services:api-bookings")).json()["count"] == 4
    organizer = UserFactory()
    api.force_authenticate(organizer)
    assert api.get(reverse("services:api-bookings")).json()["count"] == 0


def test_availability_per_venue_and_per_site(api, monday, django_assert_num_queries):
    venue = VenueFactory()
    VenueFactory(site=venue.site)
    BookingFactory(venue=venue, start=local(monday, 10), end=local(monday, 11), title="秘密")
    url = reverse("services:api-availability")
    with django_assert_num_queries(3):
        response = api.get(url, {"venue": venue.pk, "date": monday.isoformat()})
    day = response.json()[0]["days"][0]
    assert [s["start"][11:16] for s in day["free"]] == ["09:00", "11:00"]
    assert "秘密" not in response.content.decode()
    with django_assert_num_queries(3):
        by_site = api.get(url, {"site": venue.site.pk, "date": monday.isoformat(), "days": 7})
    assert len(by_site.json()) == 2 and len(by_site.json()[0]["days"]) == 7
    assert api.get(url, {"date": "nope"}).status_code == 400
    assert api.get(url, {"venue": 999999}).status_code == 404
    assert api.get(url, {"site": "9" * 20}).status_code == 400  # past 64 bits: a 400, not a crash
    assert api.get(url, {"venue": venue.pk, "days": 30}).status_code == 400


def test_free_rooms_api(api, monday, django_assert_num_queries):
    here = VenueFactory(site=SiteFactory(latitude="31.300000", longitude="120.600000"), capacity=40)
    busy = VenueFactory(site=SiteFactory(latitude="31.300500", longitude="120.600000"), capacity=40)
    VenueFactory(site=SiteFactory(latitude="31.301000", longitude="120.600000"), capacity=5)  # too small
    BookingFactory(venue=busy, start=local(monday, 9), end=local(monday, 12))
    params = {
        "lat": "31.300000",
        "lng": "120.600000",
        "start": local(monday, 10).isoformat(),
        "end": local(monday, 11).isoformat(),
        "attendees": 20,
    }
    with django_assert_num_queries(3):
        response = api.get(reverse("services:api-free-rooms"), params)
    assert [r["id"] for r in response.json()] == [here.pk]
    assert response.json()[0]["distance_m"] == 0
    bad = api.get(reverse("services:api-free-rooms"), {**params, "lng": ""})
    assert bad.status_code == 400


def test_schema_lists_the_booking_endpoints(api):
    schema = api.get(reverse("api-schema")).content.decode()
    for path in (
        "/api/bookings/",
        "/api/rooms/availability/",
        "/api/rooms/free/",
        "/api/bookings/{id}/reject/",
    ):
        assert path in schema
