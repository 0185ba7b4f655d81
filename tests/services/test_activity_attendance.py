"""确认出勤: after the start the organiser confirms who came (correcting the check-ins), and each volunteer
who came earns the activity's points through the ledger, once. Credit follows the check-in, never the
sign-up; the page and the API go through the one `confirm_attendance`."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from members.models import EntryKind, Notification, PointsEntry
from members.reconcile import points_balance
from members.service_records import verify_service
from services import activities as ops
from services.models import Signup
from tests.factories import (
    PointRuleFactory,
    ServiceRecordFactory,
    StaffFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
    local,
    next_weekday,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(time_machine):
    """A two-hour activity under a 10-points-an-hour rule with three volunteers signed up and one not a
    volunteer; the clock stands 20 minutes before the start."""
    venue = VenueFactory()
    organizer = UserFactory()
    start = local(next_weekday(), 14)
    time_machine.move_to(start - dt.timedelta(days=2))
    activity = ops.publish_activity(
        by=organizer, site=venue.site, venue=venue, title="志愿服务：社区环境整治", kind="volunteer",
        start=start, end=start + dt.timedelta(hours=2), capacity=10, contact_phone="13812345678",
        point_rule=PointRuleFactory(),
    )  # fmt: skip
    volunteers = [VolunteerFactory() for _ in range(3)]
    resident = UserFactory()
    for user in [v.user for v in volunteers] + [resident]:
        ops.sign_up(activity=activity, user=user)
    time_machine.move_to(start - dt.timedelta(minutes=20))
    return activity, organizer, volunteers, resident


def signup_of(activity, user):
    return Signup.objects.get(activity=activity, user=user)


def test_points_follow_the_check_in_and_are_posted_once(world, time_machine):
    activity, organizer, (came, absent, _), resident = world
    ops.check_in(activity=activity, user=came.user)
    ops.check_in(activity=activity, user=resident)
    with pytest.raises(ops.ActivityClosed, match="活动开始后"):
        ops.confirm_attendance(activity=activity, by=organizer)
    time_machine.move_to(activity.end)
    confirmed = ops.confirm_attendance(activity=activity, by=organizer)
    assert {s.user_id for s in confirmed} == {came.user_id, resident.pk}
    entry = PointsEntry.objects.get()  # the resident is no volunteer: nothing to credit
    assert (entry.volunteer, entry.kind, entry.amount) == (came, EntryKind.EARN, 20)  # 2 hours × 10
    assert (
        entry.source == f"activity:{signup_of(activity, came.user).pk}" and entry.rule == activity.point_rule
    )
    came.refresh_from_db()
    absent.refresh_from_db()
    assert (came.points, absent.points) == (20, 0)  # signed up but never came: nothing
    assert Notification.objects.filter(recipient=came.user, template="activity_points").exists()
    with pytest.raises(ops.ActivityClosed, match="不能重复确认"):
        ops.confirm_attendance(activity=activity, by=organizer)
    assert PointsEntry.objects.count() == 1
    assert not list(points_balance())  # reconcile agrees with the balances
    with pytest.raises(ops.ActivityClosed, match="已确认出勤"):
        ops.check_in(activity=activity, user=absent.user)


def test_activity_points_count_against_the_rules_monthly_cap_like_a_service(world, time_machine):
    """One cap for every earn under a rule: a service earlier in the month leaves the activity 15 of its
    20 points, and a service verified after it that month gets nothing more."""
    activity, organizer, (came, *_), _ = world
    rule = activity.point_rule
    type(rule).objects.filter(pk=rule.pk).update(monthly_cap=25)
    day = timezone.localdate(activity.start)
    staff = StaffFactory(area=came.community)
    verify_service(record=ServiceRecordFactory(volunteer=came, rule=rule, units=1, served_on=day), by=staff)
    ops.check_in(activity=activity, user=came.user)
    time_machine.move_to(activity.end)

    ops.confirm_attendance(activity=activity, by=organizer)

    entry = PointsEntry.objects.get(source=f"activity:{signup_of(activity, came.user).pk}")
    assert (entry.amount, entry.earned_on) == (15, day)  # 20 for two hours, cut to the cap's 15 left
    assert Notification.objects.get(recipient=came.user, template="activity_points").context["points"] == 15
    later = verify_service(
        record=ServiceRecordFactory(volunteer=came, rule=rule, units=1, served_on=day), by=staff
    )
    came.refresh_from_db()
    assert (later.points, came.points) == (0, 25)
    assert not list(points_balance())


def test_the_organiser_corrects_the_check_ins_before_confirming(world, time_machine):
    activity, organizer, (scanned, forgot, wrong), _ = world
    ops.check_in(activity=activity, user=scanned.user)
    ops.check_in(activity=activity, user=wrong.user)
    time_machine.move_to(activity.start + dt.timedelta(hours=1))
    attended = [signup_of(activity, v.user).pk for v in (scanned, forgot)]
    ops.confirm_attendance(activity=activity, by=StaffFactory(area=activity.site.area), attended=attended)
    added, removed = signup_of(activity, forgot.user), signup_of(activity, wrong.user)
    assert added.checked_in_at is not None and added.checked_in_by is not None
    assert removed.checked_in_at is None
    assert set(PointsEntry.objects.values_list("volunteer", flat=True)) == {scanned.pk, forgot.pk}


def test_only_the_organiser_or_area_staff_confirm_and_a_stranger_signup_is_refused(world, time_machine):
    activity, organizer, volunteers, _ = world
    time_machine.move_to(activity.end)
    with pytest.raises(ops.PermissionDenied):
        ops.confirm_attendance(activity=activity, by=volunteers[0].user)
    other = VolunteerFactory()
    with pytest.raises(ops.ValidationError, match="不在该活动的报名名单"):
        ops.confirm_attendance(activity=activity, by=organizer, attended=[other.pk + 10_000])
    assert (
        not PointsEntry.objects.exists() and not Signup.objects.filter(checked_in_at__isnull=False).exists()
    )


def test_the_attendance_page_confirms_and_my_activities_shows_the_points(
    world, client, time_machine, django_assert_num_queries
):
    activity, organizer, (came, forgot, _), _ = world
    ops.check_in(activity=activity, user=came.user)
    url = reverse("services:activity-attendance", args=[activity.pk])
    client.force_login(came.user)
    assert client.get(url).status_code == 403
    time_machine.move_to(activity.end + dt.timedelta(minutes=5))
    client.force_login(organizer)
    page = client.get(url).content.decode()
    assert "扫码签到" in page and "未签到" in page and "未登记为志愿者" in page
    bad = client.post(url, {"attended": ["abc"]})
    assert bad.status_code == 400 and "刷新页面" in bad.content.decode()
    assert not PointsEntry.objects.exists()
    ticked = [signup_of(activity, v.user).pk for v in (came, forgot)]
    response = client.post(url, {"attended": ticked}, follow=True)
    assert "已确认出勤：2 人到场" in response.content.decode()
    assert "+20 积分" in response.content.decode()
    again = client.post(url, {"attended": ticked}, follow=True)
    assert PointsEntry.objects.count() == 2 and "出勤已由" in again.content.decode()
    client.force_login(forgot.user)
    # session, user, the header's 待办, count, the page of sign-ups, their points
    with django_assert_num_queries(6):
        mine = client.get(reverse("services:my-activities")).content.decode()
    assert "已参加" in mine and "+20 积分" in mine


def test_the_api_confirms_through_the_same_function(world, time_machine):
    activity, organizer, (came, *_), _ = world
    ops.check_in(activity=activity, user=came.user)
    api = APIClient()
    url = reverse("services:api-activity-attendance", args=[activity.pk])
    api.force_authenticate(organizer)
    early = api.post(url, {}, format="json")
    assert early.status_code == 409 and "活动开始后" in early.json()["detail"]
    time_machine.move_to(activity.end)
    assert api.post(url, {"attended": ["x"]}, format="json").status_code == 400
    done = api.post(url, {}, format="json")
    assert done.status_code == 200 and [s["id"] for s in done.json()] == [signup_of(activity, came.user).pk]
    assert api.post(url, {}, format="json").status_code == 409
    assert PointsEntry.objects.count() == 1
    api.force_authenticate(came.user)
    assert api.post(url, {}, format="json").status_code == 403


def test_a_rule_that_does_not_apply_to_the_site_is_refused(time_machine):
    venue = VenueFactory()
    start = local(next_weekday(), 9)
    elsewhere = PointRuleFactory(area=VenueFactory().site.area)
    with pytest.raises(ops.ValidationError, match="不适用于"):
        ops.publish_activity(
            by=UserFactory(), site=venue.site, venue=venue, title="讲座", kind="lecture", start=start,
            end=start + dt.timedelta(hours=1), capacity=5, point_rule=elsewhere, contact_phone="13812345678",
        )  # fmt: skip


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_confirmations_at_once_post_each_volunteers_points_once_and_never_deadlock():
    """Eight confirmations of each of two activities at once (an organiser's double tap, staff at the same
    moment), the same volunteers at both: each activity is confirmed once, each volunteer credited once
    per activity, and the volunteers' rows, updated in one order, never deadlock."""
    from django.utils import timezone

    from services.models import Activity
    from tests.factories import SiteFactory

    from .test_concurrency import race

    site = SiteFactory()
    staff = StaffFactory(area=site.area)
    volunteers = [VolunteerFactory() for _ in range(6)]
    rule = PointRuleFactory(points_per_unit=5)
    started = timezone.now() - dt.timedelta(hours=1)
    both = []
    for title, order in (("主题党日", volunteers), ("志愿服务", volunteers[::-1])):
        activity = Activity.objects.create(
            site=site, organizer=staff, title=title, kind="volunteer", start=started,
            end=started + dt.timedelta(hours=2), capacity=10, places_taken=len(order), point_rule=rule,
        )  # fmt: skip
        for v in order:  # the sign-ups' pks in opposite orders at the two activities
            Signup.objects.create(activity=activity, user=v.user, status="signed_up", checked_in_at=started)
        both.append(activity)

    def confirm(i):
        try:
            return len(ops.confirm_attendance(activity=both[i % 2], by=staff))
        except ops.ActivityClosed:
            return "already"

    outcomes = race(confirm, 16)
    assert outcomes == {6: 2, "already": 14}
    assert PointsEntry.objects.count() == 12
    assert {v.points for v in type(volunteers[0]).objects.filter(pk__in=[v.pk for v in volunteers])} == {20}
    assert not list(points_balance())
