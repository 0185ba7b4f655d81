"""Booking check-in and the release of no-shows (issue 15 item 4): the window, who may check in, the
release job (idempotent, leaves activities alone, frees the slot), and the three-no-shows hold."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from members.models import Notification, User
from services import checkin, no_shows, tasks
from services.activities import publish_activity
from services.booking import book_venue
from services.models import Booking, BookingStatus, NoShowLift, VenueRules
from sites.append_only import AppendOnlyError
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
def booking():
    venue = VenueFactory(capacity=30)
    return BookingFactory(venue=venue, start=local(next_weekday(), 10), end=local(next_weekday(), 12))


def staff_for(booking):
    return StaffFactory(area=booking.venue.site.area)


def book(venue, organizer, start, **extra):
    return book_venue(
        venue=venue, organizer=organizer, start=start, end=start + dt.timedelta(hours=1), title="议事会",
        purpose="other", attendees=5, contact_phone="13812345678", group_name="居民议事组", **extra,
    )  # fmt: skip


# --- the check-in window and who may check in ----------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "problem"),
    [
        (dt.timedelta(minutes=-16), "签到将于"),
        (dt.timedelta(minutes=-15), ""),
        (dt.timedelta(minutes=30), ""),
        (dt.timedelta(hours=2), ""),  # the end itself
        (dt.timedelta(hours=2, minutes=1), "已结束"),
    ],
)
def test_check_in_opens_15_minutes_before_and_closes_at_the_end(booking, time_machine, offset, problem):
    time_machine.move_to(booking.start + offset)
    if problem:
        with pytest.raises(checkin.CheckInRefused, match=problem):
            checkin.check_in_booking(booking=booking, by=booking.organizer)
        assert Booking.objects.get(pk=booking.pk).checked_in_at is None
    else:
        assert checkin.check_in_booking(booking=booking, by=booking.organizer) is True
        assert Booking.objects.get(pk=booking.pk).checked_in_by == booking.organizer


def test_checking_in_twice_keeps_the_first_time(booking, time_machine):
    time_machine.move_to(booking.start - dt.timedelta(minutes=5))
    assert checkin.check_in_booking(booking=booking, by=booking.organizer)
    first = Booking.objects.get(pk=booking.pk).checked_in_at
    time_machine.move_to(booking.start + dt.timedelta(minutes=5))
    assert checkin.check_in_booking(booking=booking, by=booking.organizer) is False
    assert Booking.objects.get(pk=booking.pk).checked_in_at == first


def test_staff_of_the_area_check_in_for_the_organiser_others_may_not(booking, time_machine):
    time_machine.move_to(booking.start)
    with pytest.raises(PermissionDenied):
        checkin.check_in_booking(booking=booking, by=UserFactory())
    with pytest.raises(PermissionDenied):
        checkin.check_in_booking(booking=booking, by=StaffFactory())  # another community's staff
    staff = staff_for(booking)
    assert checkin.check_in_booking(booking=booking, by=staff)
    assert Booking.objects.get(pk=booking.pk).checked_in_by == staff


def test_a_pending_or_cancelled_booking_cannot_be_checked_in(booking, time_machine):
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.PENDING)
    booking.refresh_from_db()
    time_machine.move_to(booking.start)
    with pytest.raises(checkin.CheckInRefused, match="待审核"):
        checkin.check_in_booking(booking=booking, by=booking.organizer)


# --- the release job ----------------------------------------------------------------------------------


def test_the_job_releases_a_booking_nobody_checked_in_15_minutes_after_its_start(booking, time_machine):
    time_machine.move_to(booking.start + dt.timedelta(minutes=14))
    assert tasks.release_no_shows.delay().get() == 0
    time_machine.move_to(booking.start + dt.timedelta(minutes=15))
    assert tasks.release_no_shows.delay().get() == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    assert booking.get_status_display() == "未到场"
    assert booking.released_at is not None
    told = Notification.objects.filter(recipient=booking.organizer, key=f"booking:{booking.pk}:no_show")
    assert told.exists()
    assert "未到场" in told.first().subject


def test_running_the_job_twice_changes_nothing_more(booking, time_machine):
    time_machine.move_to(booking.start + dt.timedelta(minutes=20))
    assert tasks.release_no_shows.delay().get() == 1
    released = Booking.objects.get(pk=booking.pk)
    notices = Notification.objects.count()
    time_machine.move_to(booking.start + dt.timedelta(minutes=25))
    assert tasks.release_no_shows.delay().get() == 0
    again = Booking.objects.get(pk=booking.pk)
    assert (again.status, again.released_at) == (released.status, released.released_at)
    assert Notification.objects.count() == notices


def test_a_checked_in_booking_is_never_released(booking, time_machine):
    time_machine.move_to(booking.start + dt.timedelta(minutes=10))
    checkin.check_in_booking(booking=booking, by=booking.organizer)
    time_machine.move_to(booking.start + dt.timedelta(minutes=30))
    assert checkin.release_no_shows() == []
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_a_released_booking_cannot_be_checked_in_late(booking, time_machine):
    time_machine.move_to(booking.start + dt.timedelta(minutes=20))
    checkin.release_no_shows()
    booking.refresh_from_db()
    with pytest.raises(checkin.CheckInRefused, match="未到场"):
        checkin.check_in_booking(booking=booking, by=booking.organizer)


def test_the_released_slot_can_be_booked_again(time_machine):
    venue = VenueFactory(capacity=30)
    start = local(next_weekday(), 10)
    first = book(venue, UserFactory(), start)
    time_machine.move_to(start + dt.timedelta(minutes=16))
    checkin.release_no_shows()
    assert not Booking.objects.overlapping(venue, first.span).exists()
    # Now 10:16: the rest of the hour is free for someone else.
    other = book(venue, UserFactory(), start + dt.timedelta(minutes=20))
    assert other.status == BookingStatus.CONFIRMED


def test_an_activitys_booking_is_not_released(time_machine):
    staff = StaffFactory()
    site = SiteFactory(area=staff.area)
    venue = VenueFactory(site=site, capacity=40)
    start = local(next_weekday(), 14)
    activity = publish_activity(
        by=staff, site=site, venue=venue, title="主题党日", kind="party_day", start=start,
        end=start + dt.timedelta(hours=2), capacity=30, contact_phone="13812345678",
    )  # fmt: skip
    plain = book(venue, UserFactory(), start + dt.timedelta(hours=2))
    time_machine.move_to(plain.start + dt.timedelta(minutes=20))
    released = checkin.release_no_shows()
    assert [b.pk for b in released] == [plain.pk]
    assert Booking.objects.get(pk=activity.booking_id).status == BookingStatus.CONFIRMED


def test_bookings_older_than_a_day_are_left_alone(booking, time_machine):
    time_machine.move_to(booking.start + dt.timedelta(days=2))
    assert checkin.release_no_shows() == []
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_the_database_refuses_a_checked_in_no_show(booking):
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(
            status=BookingStatus.NO_SHOW, checked_in_at=booking.start, released_at=booking.start
        )


# --- three no-shows in 90 days: approval needed, staff lift it ------------------------------------------


def no_shows_for(organizer, venue, days_ago):
    for days in days_ago:
        start = local(timezone.localdate() - dt.timedelta(days=days), 10)
        BookingFactory(
            organizer=organizer, venue=venue, start=start, end=start + dt.timedelta(hours=1),
            status=BookingStatus.NO_SHOW, released_at=start + dt.timedelta(minutes=15),
        )  # fmt: skip


def test_three_no_shows_in_90_days_send_the_next_booking_to_review():
    venue = VenueFactory(capacity=30)
    organizer = UserFactory()
    no_shows_for(organizer, venue, [1, 20])
    assert book(venue, organizer, local(next_weekday(), 9)).status == BookingStatus.CONFIRMED
    no_shows_for(organizer, venue, [40])
    held = book(venue, organizer, local(next_weekday(), 15))
    assert held.status == BookingStatus.PENDING
    assert "3 次预约未到场" in held.review_reason
    assert Booking.objects.managed_by(StaffFactory(area=venue.site.area)).awaiting_review().get() == held


def test_no_shows_older_than_90_days_do_not_count():
    venue = VenueFactory(capacity=30)
    organizer = UserFactory()
    no_shows_for(organizer, venue, [1, 20, 95])
    assert no_shows.review_reason(organizer) == ""
    assert book(venue, organizer, local(next_weekday(), 9)).status == BookingStatus.CONFIRMED


def test_a_room_that_needs_approval_anyway_gives_no_extra_reason():
    venue = VenueFactory(capacity=30)
    VenueRules.objects.create(venue=venue, needs_approval=True)
    organizer = UserFactory()
    no_shows_for(organizer, venue, [1, 2, 3])
    held = book(venue, organizer, local(next_weekday(), 9))
    assert (held.status, held.review_reason) == (BookingStatus.PENDING, "")


def test_area_staff_lift_the_hold_with_a_dated_record():
    venue = VenueFactory(capacity=30)
    organizer = UserFactory()
    no_shows_for(organizer, venue, [1, 2, 3])
    with pytest.raises(PermissionDenied):
        no_shows.lift_hold(organizer=organizer, by=StaffFactory(), reason="已核实")
    with pytest.raises(ValidationError):
        no_shows.lift_hold(organizer=organizer, by=StaffFactory(area=venue.site.area), reason=" ")
    staff = StaffFactory(area=venue.site.area)
    lift = no_shows.lift_hold(organizer=organizer, by=staff, reason="已核实，系临时停电")
    assert (lift.lifted_by, lift.organizer) == (staff, organizer)
    assert book(venue, organizer, local(next_weekday(), 9)).status == BookingStatus.CONFIRMED
    with pytest.raises(ValidationError, match="没有未到场限制"):
        no_shows.lift_hold(organizer=organizer, by=staff, reason="再次")
    with pytest.raises(AppendOnlyError):
        lift.delete()
    assert NoShowLift.objects.count() == 1


def test_three_new_no_shows_after_a_lift_hold_again(time_machine):
    venue = VenueFactory(capacity=30)
    organizer = UserFactory()
    no_shows_for(organizer, venue, [30, 31, 32])
    no_shows.lift_hold(organizer=organizer, by=StaffFactory(area=venue.site.area), reason="已核实")
    lifted = timezone.now()
    for days in (1, 2, 3):  # three more no-shows in the weeks after the lift
        start = lifted + dt.timedelta(days=days)
        BookingFactory(
            organizer=organizer, venue=venue, start=start, end=start + dt.timedelta(hours=1),
            status=BookingStatus.NO_SHOW, released_at=start + dt.timedelta(minutes=15),
        )  # fmt: skip
        time_machine.move_to(start + dt.timedelta(hours=2))
        assert bool(no_shows.review_reason(organizer)) is (days == 3)


# --- pages and API ---------------------------------------------------------------------------------------


def test_the_room_page_for_staff_shows_the_door_qr_code(client, booking):
    staff = staff_for(booking)
    client.force_login(staff)
    page = client.get(reverse("services:room-detail", args=[booking.venue_id]))
    assert 'id="room-checkin-qr"' in page.content.decode()
    assert reverse("services:room-checkin", args=[booking.venue_id]) in page.content.decode()


def test_scanning_the_room_code_shows_a_button_and_posting_checks_in(client, booking, time_machine):
    time_machine.move_to(booking.start - dt.timedelta(minutes=10))
    client.force_login(booking.organizer)
    page = client.get(reverse("services:room-checkin", args=[booking.venue_id]))
    assert "确认签到" in page.content.decode()
    assert Booking.objects.get(pk=booking.pk).checked_in_at is None  # a GET checks nobody in
    done = client.post(reverse("services:booking-checkin", args=[booking.pk]), follow=True)
    assert "签到成功" in done.content.decode()
    assert Booking.objects.get(pk=booking.pk).checked_in_at is not None


def test_the_room_page_shows_someone_else_nothing_of_the_bookings(client, booking, time_machine):
    time_machine.move_to(booking.start)
    client.force_login(UserFactory())
    page = client.get(reverse("services:room-checkin", args=[booking.venue_id])).content.decode()
    assert booking.title not in page
    assert "没有预约" in page


def test_too_early_says_when_check_in_opens(client, booking, time_machine):
    time_machine.move_to(booking.start - dt.timedelta(hours=1))
    client.force_login(booking.organizer)
    done = client.post(reverse("services:booking-checkin", args=[booking.pk]), follow=True)
    assert "签到将于" in done.content.decode()


def test_my_bookings_shows_the_no_show(client, booking, time_machine):
    time_machine.move_to(booking.start + dt.timedelta(minutes=20))
    checkin.release_no_shows()
    client.force_login(booking.organizer)
    page = client.get(reverse("services:my-bookings")).content.decode()
    assert "未到场" in page
    assert "已按未到场释放" in page


def test_the_review_queue_shows_the_reason_and_lifts_the_hold(client):
    venue = VenueFactory(capacity=30)
    organizer = UserFactory()
    no_shows_for(organizer, venue, [1, 2, 3])
    held = book(venue, organizer, local(next_weekday(), 9))
    staff = StaffFactory(area=venue.site.area)
    client.force_login(staff)
    page = client.get(reverse("services:review-queue")).content.decode()
    assert "需审核原因：近 90 天内 3 次预约未到场" in page
    done = client.post(reverse("services:lift-hold", args=[held.pk]), {"reason": "已电话核实"}, follow=True)
    assert "已解除" in done.content.decode()
    assert NoShowLift.objects.get().reason == "已电话核实"
    refused = client.post(reverse("services:lift-hold", args=[held.pk]), {"reason": ""}, follow=True)
    assert "须填写原因" in refused.content.decode()


def test_api_check_in(booking, time_machine):
    api = APIClient()
    api.force_authenticate(booking.organizer)
    url = reverse("services:api-booking-checkin", args=[booking.pk])
    time_machine.move_to(booking.start - dt.timedelta(hours=1))
    early = api.post(url)
    assert early.status_code == 409
    assert "签到将于" in early.json()["detail"]
    time_machine.move_to(booking.start)
    done = api.post(url)
    assert done.status_code == 200
    assert done.json()["checked_in_at"]
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    assert stranger.post(url).status_code == 404


def test_the_admin_lists_no_shows_and_lifts_the_hold(client):
    venue = VenueFactory(capacity=30)
    organizer = UserFactory()
    no_shows_for(organizer, venue, [1, 2, 3])
    held = book(venue, organizer, local(next_weekday(), 9))
    client.force_login(StaffFactory(area=venue.site.area))
    listed = client.get("/admin/services/booking/", {"status__exact": "no_show"}).content.decode()
    assert listed.count("未到场") >= 3
    url = "/admin/services/booking/"
    chosen = {"action": "lift_no_show_hold", "_selected_action": [str(held.pk)], "index": "0"}
    asked = client.post(url, chosen)
    assert "解除原因" in asked.content.decode() and not NoShowLift.objects.exists()
    done = client.post(url, {**chosen, "reason": "已核实"}, follow=True)
    assert "已解除" in done.content.decode()
    assert NoShowLift.objects.get().organizer == organizer
    assert "已核实" in client.get("/admin/services/noshowlift/").content.decode()


def test_the_demo_has_check_ins_no_shows_and_a_held_request_for_shuangta(client):
    call_command("seed_demo", stdout=io.StringIO())
    organizer = User.objects.get(username="organizer")
    mine = Booking.objects.filter(organizer=organizer)
    assert mine.filter(status=BookingStatus.NO_SHOW).count() == 2
    assert mine.filter(checked_in_at__isnull=False).exists()
    assert no_shows.review_reason(organizer) == ""
    client.force_login(User.objects.get(username="shuangta"))
    queue = client.get(reverse("services:review-queue")).content.decode()
    assert "党员学习沙龙" in queue and "需审核原因：近 90 天内 3 次预约未到场" in queue
