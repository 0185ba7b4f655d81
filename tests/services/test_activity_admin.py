"""Activities and sign-ups in the admin: scoped to the staff's area, Chinese, and every write through
services/activities.py (publishing books the room, a change edits only what may change, cancelling and
confirming are actions, a sign-up is withdrawn by an action that promotes the next in line)."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from members.models import PointsEntry
from services import activities as ops
from services.models import Activity, ActivityStatus, BookingStatus, Signup, SignupStatus
from tests.factories import (
    PointRuleFactory,
    StaffFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
    local,
    next_weekday,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def venue():
    return VenueFactory()


@pytest.fixture
def staff(client, venue):
    user = StaffFactory(area=venue.site.area, phone="13812345678")
    client.force_login(user)
    return user


def publish(venue, by, title="主题党日", start_offset=0, **extra):
    start = local(next_weekday(), 14) + dt.timedelta(days=start_offset)
    return ops.publish_activity(
        by=by, site=venue.site, venue=venue, title=title, kind="party_day", start=start,
        end=start + dt.timedelta(hours=2), capacity=1, contact_phone="13812345678", **extra,
    )  # fmt: skip


def test_adding_publishes_through_the_write_path_and_books_the_room(client, venue, staff):
    day = next_weekday()
    form = {
        "site": venue.site.pk, "venue": venue.pk, "title": "博士阳光讲坛", "description": "",
        "kind": "lecture",
        "start_0": day.isoformat(), "start_1": "09:00", "end_0": day.isoformat(), "end_1": "11:00",
        "capacity": "20", "eligibility": "anyone", "organization": "", "point_rule": "",
    }  # fmt: skip
    response = client.post(reverse("admin:services_activity_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get()
    assert activity.organizer == staff and activity.booking.status == BookingStatus.CONFIRMED
    # The same room at the same time: the booking conflict comes back as a message, nothing saved.
    again = client.post(reverse("admin:services_activity_add"), form, follow=True)
    assert "未保存" in again.content.decode() and Activity.objects.count() == 1


def test_a_change_edits_only_what_may_change(client, venue, staff):
    activity = publish(venue, staff)
    url = reverse("admin:services_activity_change", args=[activity.pk])
    page = client.get(url).content.decode()
    assert 'name="title"' in page and 'name="capacity"' not in page and 'name="start_0"' not in page
    rule = PointRuleFactory()
    response = client.post(url, {"title": "主题党日：重温入党誓词", "description": "", "point_rule": rule.pk})
    assert response.status_code == 302, [str(e) for e in response.context["adminform"].form.errors.items()]
    activity.refresh_from_db()
    assert (activity.title, activity.point_rule, activity.capacity) == ("主题党日：重温入党誓词", rule, 1)


def test_another_areas_activity_is_not_found_and_not_listed(client, staff):
    elsewhere = publish(VenueFactory(), UserFactory(), title="外区的主题党日")
    assert client.get(reverse("admin:services_activity_change", args=[elsewhere.pk])).status_code == 404
    assert "外区的主题党日" not in client.get(reverse("admin:services_activity_changelist")).content.decode()
    assert client.get(reverse("admin:services_signup_changelist")).status_code == 200


def test_the_actions_cancel_and_confirm_through_the_operations(client, venue, staff, time_machine):
    going = publish(venue, staff, point_rule=PointRuleFactory())
    other_day = local(next_weekday(weeks=2), 9)
    cancelled = ops.publish_activity(
        by=staff, site=venue.site, venue=venue, title="居民议事会", kind="council", start=other_day,
        end=other_day + dt.timedelta(hours=1), capacity=5,
    )  # fmt: skip
    volunteer = VolunteerFactory()
    ops.sign_up(activity=going, user=volunteer.user)
    changelist = reverse("admin:services_activity_changelist")
    client.post(changelist, {"action": "cancel", ACTION_CHECKBOX_NAME: [cancelled.pk]})
    cancelled.refresh_from_db()
    assert (
        cancelled.status == ActivityStatus.CANCELLED and cancelled.booking.status == BookingStatus.CANCELLED
    )
    ticked = {"action": "confirm_attendance", ACTION_CHECKBOX_NAME: [going.pk]}
    assert "活动开始后才能确认出勤" in client.post(changelist, ticked, follow=True).content.decode()
    time_machine.move_to(going.start + dt.timedelta(minutes=5))
    ops.check_in(activity=going, user=volunteer.user)
    client.force_login(staff)
    client.post(changelist, ticked)
    assert PointsEntry.objects.get().volunteer == volunteer


def test_withdrawing_a_sign_up_promotes_the_next_in_line(client, venue, staff):
    activity = publish(venue, staff)
    first, second = UserFactory(), UserFactory()
    ops.sign_up(activity=activity, user=first)
    ops.sign_up(activity=activity, user=second)
    signup = Signup.objects.get(user=first)
    client.post(
        reverse("admin:services_signup_changelist"), {"action": "withdraw", ACTION_CHECKBOX_NAME: [signup.pk]}
    )
    assert Signup.objects.get(user=second).status == SignupStatus.SIGNED_UP
    assert Signup.objects.get(user=first).status == SignupStatus.CANCELLED


def test_the_changelists_cost_the_same_queries_as_rows_grow(client, venue, staff, django_assert_num_queries):
    activity = publish(venue, staff)
    ops.sign_up(activity=activity, user=UserFactory())
    # the same 7 with one row or four: session, user, the rows with their sites and people, the admin's own
    pins = {"admin:services_activity_changelist": 7, "admin:services_signup_changelist": 7}
    for name, count in pins.items():
        with django_assert_num_queries(count):
            client.get(reverse(name))
    for n in range(3):
        other = publish(venue, staff, title=f"讲座{n}", start_offset=n + 1)
        ops.sign_up(activity=other, user=UserFactory())
    for name, count in pins.items():
        with django_assert_num_queries(count):
            assert "讲座2" in client.get(reverse(name)).content.decode()
