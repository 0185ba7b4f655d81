"""Activities: publishing books the room, cancelling tells everyone, sign-ups fill places then the waitlist,
and a withdrawal promotes exactly the next in line. The races run in test_activity_concurrency.py."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from members.models import Notification
from services import activities as ops
from services.booking import BookingConflict
from services.models import Activity, ActivityStatus, BookingStatus, Eligibility, Signup, SignupStatus
from services.reconcile import activity_places
from tests.factories import (
    BookingFactory,
    MemberFactory,
    OrganizationFactory,
    SiteFactory,
    StaffFactory,
    UserFactory,
    VenueFactory,
    local,
    next_weekday,
)

pytestmark = pytest.mark.django_db


def publish(by, venue=None, site=None, capacity=2, **extra):
    start = local(next_weekday(), 14)
    return ops.publish_activity(
        by=by, site=site or venue.site, venue=venue, title="主题党日：重温入党誓词", kind="party_day",
        start=start, end=start + dt.timedelta(hours=2), capacity=capacity, contact_phone="13812345678",
        **extra,
    )  # fmt: skip


@pytest.fixture
def venue():
    return VenueFactory()


@pytest.fixture
def organizer():
    return UserFactory(organization=OrganizationFactory())


def test_publishing_in_a_room_books_it_in_the_same_transaction(venue, organizer):
    activity = publish(organizer, venue)
    assert activity.booking.venue == venue and activity.booking.organizer == organizer
    assert activity.booking.status == BookingStatus.CONFIRMED
    assert (activity.booking.start, activity.booking.end) == (activity.start, activity.end)


def test_an_activity_cannot_clash_with_a_booking_and_then_writes_nothing(venue, organizer):
    BookingFactory(venue=venue, start=local(next_weekday(), 15), end=local(next_weekday(), 16))
    with pytest.raises(BookingConflict):
        publish(organizer, venue)
    assert not Activity.objects.exists()


def test_outdoors_only_the_sites_area_staff_publish(organizer):
    site = SiteFactory()
    with pytest.raises(PermissionDenied):
        publish(organizer, site=site)
    activity = publish(StaffFactory(area=site.area), site=site)
    assert activity.booking is None and "户外" in activity.place_label


def test_bad_input_is_a_chinese_validation_error(venue, organizer):
    with pytest.raises(ValidationError) as error:
        publish(organizer, venue, capacity=0)
    assert "名额至少为 1。" in str(error.value)
    with pytest.raises(ValidationError) as error:
        publish(organizer, venue, eligibility=Eligibility.ORGANIZATION)
    assert "请选择党组织" in str(error.value)
    assert not Activity.objects.exists()


def test_sign_ups_fill_the_places_then_the_waitlist_in_order(venue, organizer):
    activity = publish(organizer, venue, capacity=2)
    people = [UserFactory() for _ in range(4)]
    statuses = [ops.sign_up(activity=activity, user=p).status for p in people]
    assert statuses == ["signed_up", "signed_up", "waitlisted", "waitlisted"]
    activity.refresh_from_db()
    assert activity.places_taken == 2 and activity.places_left == 0
    with pytest.raises(ValidationError, match="无需重复报名"):
        ops.sign_up(activity=activity, user=people[0])

    cancelled, promoted = ops.cancel_signup(activity=activity, user=people[1])
    assert cancelled.status == SignupStatus.CANCELLED and promoted.user == people[2]
    note = Notification.objects.get(recipient=people[2])
    assert "候补成功" in note.subject and note.key == f"signup:{promoted.pk}:activity_promoted"
    assert not Notification.objects.filter(recipient=people[3]).exists()

    # A waitlisted person leaving frees no place; after the queue is empty a withdrawal frees one.
    assert ops.cancel_signup(activity=activity, user=people[3])[1] is None
    ops.cancel_signup(activity=activity, user=people[0])
    activity.refresh_from_db()
    assert activity.places_taken == 1
    assert list(activity_places()) == []
    # Signing up again after withdrawing is allowed: the constraint is only on live sign-ups.
    assert ops.sign_up(activity=activity, user=people[0]).status == SignupStatus.SIGNED_UP


def test_the_database_refuses_a_second_live_sign_up_and_places_over_capacity(venue, organizer):
    activity = publish(organizer, venue, capacity=1)
    person = UserFactory()
    Signup.objects.create(activity=activity, user=person, status=SignupStatus.WAITLISTED)
    with pytest.raises(IntegrityError):
        Signup.objects.create(activity=activity, user=person, status=SignupStatus.SIGNED_UP)


def test_the_capacity_check_is_in_the_database(venue, organizer):
    activity = publish(organizer, venue, capacity=1)
    with pytest.raises(IntegrityError):
        Activity.objects.filter(pk=activity.pk).update(places_taken=2)


def test_reconcile_reports_a_counter_that_disagrees(venue, organizer):
    activity = publish(organizer, venue, capacity=3)
    ops.sign_up(activity=activity, user=UserFactory())
    Activity.objects.filter(pk=activity.pk).update(places_taken=2)
    [difference] = activity_places()
    assert (difference.stored, difference.computed) == (2, 1)


def test_who_may_sign_up(venue, organizer):
    branch = OrganizationFactory()
    member, other_member = MemberFactory(organization=branch), MemberFactory()
    for m in (member, other_member):
        m.user = UserFactory()
        m.save(update_fields=["user"])
    resident = UserFactory()
    for_members = publish(organizer, venue, eligibility=Eligibility.PARTY_MEMBERS)
    with pytest.raises(ops.ActivityClosed, match="仅限党员"):
        ops.sign_up(activity=for_members, user=resident)
    assert ops.sign_up(activity=for_members, user=other_member.user).status == SignupStatus.SIGNED_UP

    start = for_members.start + dt.timedelta(days=1)
    for_branch = ops.publish_activity(
        by=organizer, site=venue.site, venue=venue, title="支部党员大会", kind="three_meetings", start=start,
        end=start + dt.timedelta(hours=1), capacity=5, eligibility=Eligibility.ORGANIZATION,
        organization=branch, contact_phone="13812345678",
    )  # fmt: skip
    with pytest.raises(ops.ActivityClosed, match=f"仅限“{branch}”"):
        ops.sign_up(activity=for_branch, user=other_member.user)
    assert ops.sign_up(activity=for_branch, user=member.user).status == SignupStatus.SIGNED_UP


def test_cancelling_cancels_the_booking_and_tells_everyone_signed_up(venue, organizer):
    activity = publish(organizer, venue, capacity=1)
    people = [UserFactory() for _ in range(2)]
    for p in people:
        ops.sign_up(activity=activity, user=p)
    with pytest.raises(PermissionDenied):
        ops.cancel_activity(activity=activity, by=people[0])
    ops.cancel_activity(activity=activity, by=StaffFactory(area=venue.site.area))
    activity.refresh_from_db()
    activity.booking.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED
    assert activity.booking.status == BookingStatus.CANCELLED
    assert set(
        Notification.objects.filter(template="activity_cancelled").values_list("recipient", flat=True)
    ) == {p.pk for p in people}
    with pytest.raises(ops.ActivityClosed, match="已取消"):
        ops.sign_up(activity=activity, user=UserFactory())


def test_check_in_is_open_from_30_minutes_before_the_start_to_the_end(venue, organizer, time_machine):
    activity = publish(organizer, venue, capacity=1)
    person, waiting = UserFactory(), UserFactory()
    ops.sign_up(activity=activity, user=person)
    ops.sign_up(activity=activity, user=waiting)
    time_machine.move_to(activity.start - dt.timedelta(minutes=31))
    with pytest.raises(ops.ActivityClosed, match="活动开始前 30 分钟"):
        ops.check_in(activity=activity, user=person)
    time_machine.move_to(activity.start - dt.timedelta(minutes=30))
    signup, first = ops.check_in(activity=activity, user=person)
    assert first and signup.checked_in_at is not None
    assert ops.check_in(activity=activity, user=person) == (signup, False)  # once
    with pytest.raises(ops.ActivityClosed, match="候补名单"):
        ops.check_in(activity=activity, user=waiting)
    with pytest.raises(ops.ActivityClosed, match="没有报名"):
        ops.check_in(activity=activity, user=UserFactory())
    time_machine.move_to(activity.end + dt.timedelta(seconds=1))
    with pytest.raises(ops.ActivityClosed, match="签到已关闭"):
        ops.check_in(activity=activity, user=person)


def test_an_activity_lasts_at_most_a_week_and_one_under_way_is_still_upcoming(time_machine):
    """upcoming() bounds the start by the longest activity (so an index on the start serves it): the
    bound must never drop one still running, and nothing longer can be published."""
    site = SiteFactory()
    staff = StaffFactory(area=site.area)
    start = local(next_weekday(), 9)
    with pytest.raises(ValidationError, match="活动最长 7 天"):
        ops.publish_activity(
            by=staff, site=site, title="长期展览", kind="culture", start=start,
            end=start + dt.timedelta(days=7, minutes=1), capacity=10,
        )  # fmt: skip
    week = ops.publish_activity(
        by=staff, site=site, title="党史学习教育周", kind="lecture", start=start,
        end=start + dt.timedelta(days=7), capacity=10,
    )  # fmt: skip
    time_machine.move_to(week.end - dt.timedelta(minutes=1))
    assert list(Activity.objects.upcoming()) == [week]
    time_machine.move_to(week.end)
    assert not Activity.objects.upcoming().exists()
