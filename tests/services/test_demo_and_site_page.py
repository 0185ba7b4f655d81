"""The booking hook on the site page, and the demo bookings."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from members.models import PointsEntry
from services.models import Activity, Booking, Signup
from services.reconcile import activity_places
from tests.factories import ClosedDateFactory, SiteFactory, VenueFactory, VenueRulesFactory

pytestmark = pytest.mark.django_db

ALL_DAY = {day: [["00:00", "23:59"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


# Today's slots that have begun are not offered, so late in the evening there would be none to see.
@time_machine.travel(dt.datetime(2026, 6, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_site_page_shows_each_rooms_free_slots_today(client):
    site = SiteFactory()
    open_room = VenueFactory(site=site, name="全天活动室")
    VenueRulesFactory(venue=open_room, opening_hours=ALL_DAY)
    closed_room = VenueFactory(site=site, name="检修活动室")
    ClosedDateFactory(venue=closed_room, date=timezone.localdate(), reason="空调检修")
    VenueFactory(site=site, name="仓库", is_bookable=False)
    html = client.get(site.get_absolute_url()).content.decode()
    assert f"/rooms/{open_room.pk}/book/?start=" in html
    assert "今日闭馆：空调检修" in html
    assert html.count("查看本周空闲、预约") == 2  # not for the room that takes no bookings
    assert html.count("css/booking.css") == 1


def test_demo_bookings_are_seeded_once_without_overlaps():
    call_command("seed_demo", stdout=io.StringIO())
    count = Booking.objects.count()
    assert count > 10 and Booking.objects.filter(status="pending").exists()
    rows = list(Booking.objects.order_by("venue", "start"))
    for a, b in zip(rows, rows[1:], strict=False):
        assert a.venue_id != b.venue_id or a.end <= b.start
    call_command("seed_demo", stdout=io.StringIO())
    assert Booking.objects.count() == count


def test_demo_without_rooms_does_nothing():
    from services import demo

    out = io.StringIO()
    demo.seed(scale="demo", stdout=out)
    assert "跳过" in out.getvalue() and not Booking.objects.exists()


def test_demo_activities_are_seeded_once_one_full_with_a_waitlist_and_reconcile_agrees():
    call_command("seed_demo", stdout=io.StringIO())
    count = Activity.objects.count()
    assert count >= 3
    assert Signup.objects.filter(status="waitlisted").exists()
    assert Signup.objects.filter(checked_in_at__isnull=False, activity__end__lt=timezone.now()).exists()
    assert list(activity_places()) == []
    # The past one's attendance is confirmed: the demo volunteer holds its points, through the ledger.
    earned = PointsEntry.objects.get(source__startswith="activity:")
    assert earned.volunteer.user.username == "volunteer" and earned.amount == 5
    assert Activity.objects.filter(attendance_confirmed_at__isnull=False).count() == 1
    call_command("seed_demo", stdout=io.StringIO())
    assert Activity.objects.count() == count
    assert PointsEntry.objects.filter(source__startswith="activity:").count() == 1


def test_the_city_scale_activities_are_bulk_inserted_over_every_site_and_reconcile_agrees(
    django_assert_max_num_queries,
):
    from services.demo_activities import build_city
    from tests.factories import StaffFactory

    sites = [SiteFactory() for _ in range(3)]
    StaffFactory(is_superuser=True)
    with django_assert_max_num_queries(4):  # the sites, the organiser, one INSERT per 5,000
        assert build_city(total=60) == 60
    per_site = {s.pk: Activity.objects.filter(site=s).count() for s in sites}
    assert per_site == {s.pk: 20 for s in sites}
    assert Activity.objects.filter(start__gt=timezone.now()).exists()
    assert Activity.objects.filter(end__lt=timezone.now()).exists()
    assert list(activity_places()) == []
