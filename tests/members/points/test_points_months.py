"""The communities' months of 获得 points (PointsMonth), the area dashboard's roll-up of the ledger: kept
by the write path in the entry's transaction (an earn, a volunteer's move to another community, even a
posting racing that move), checked by `manage.py reconcile`, and equal to the live sum of the entries."""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from members.area_figures import member_months
from members.models import EntryKind, PointsEntry, PointsMonth, Volunteer
from members.points import move_volunteer, post_entry, reverse_entry
from sites.reconcile import checks
from tests.factories import CommunityFactory, StaffFactory, UserFactory, VolunteerFactory, local

pytestmark = pytest.mark.django_db

YEAR = 2025


def differences():
    return [str(d) for c in checks() if c.name == "members.points_months" for d in c.run()]


def months():
    return {(row.community_id, row.month): row.earned for row in PointsMonth.objects.all()}


def post(volunteer, amount, at, kind=EntryKind.EARN, source=None):
    with transaction.atomic():
        return post_entry(
            volunteer=volunteer, kind=kind, amount=amount, source=source or f"t:{at}:{amount}", at=at
        )


def live_points(area, year):
    """The 获得积分 definition written out: earn entries of the month (Asia/Shanghai) of the volunteers
    serving in `area`'s subtree now."""
    values = []
    for month in range(1, 13):
        start = local(dt.date(year, month, 1), 0)
        end = local(dt.date(year + month // 12, month % 12 + 1, 1), 0)
        total = PointsEntry.objects.filter(
            kind=EntryKind.EARN,
            volunteer__community__path__startswith=area.path,
            at__gte=start,
            at__lt=end,
        ).aggregate(total=Sum("amount"))["total"]
        values.append(total or 0)
    return values


def test_an_earn_adds_to_its_local_month_and_redeeming_or_reversing_does_not(community, volunteer):
    march_night = local(dt.date(YEAR, 3, 31), 23, 30)  # 15:30 UTC: still March in Suzhou
    april_morning = local(dt.date(YEAR, 4, 1), 0, 30)  # 16:30 UTC on 31 March
    post(volunteer, 20, march_night)
    second = post(volunteer, 5, april_morning)
    post(volunteer, -10, april_morning, kind=EntryKind.REDEEM)
    reverse_entry(entry=second, by=StaffFactory(area=community), note="记错了")
    assert months() == {(community.pk, dt.date(YEAR, 3, 1)): 20, (community.pk, dt.date(YEAR, 4, 1)): 5}
    assert differences() == []


def test_a_volunteer_moved_in_the_admin_takes_their_months_along(community, volunteer):
    elsewhere = CommunityFactory(name="新社区")
    stays = VolunteerFactory(community=community)
    post(volunteer, 20, local(dt.date(YEAR, 2, 3), 10))
    post(volunteer, 7, local(dt.date(YEAR, 5, 3), 10))
    post(stays, 4, local(dt.date(YEAR, 2, 9), 10))
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    form = {"name": volunteer.name, "phone": volunteer.phone, "community": elsewhere.pk}
    response = client.post(reverse("admin:members_volunteer_change", args=[volunteer.pk]), form)
    assert response.status_code == 302
    assert Volunteer.objects.get(pk=volunteer.pk).community == elsewhere
    assert months() == {
        (community.pk, dt.date(YEAR, 2, 1)): 4,
        (community.pk, dt.date(YEAR, 5, 1)): 0,
        (elsewhere.pk, dt.date(YEAR, 2, 1)): 20,
        (elsewhere.pk, dt.date(YEAR, 5, 1)): 7,
    }
    assert differences() == []
    for area in (community, elsewhere, community.parent):
        points = next(s for s in member_months(area, YEAR) if s.key == "points")
        assert points.values == live_points(area, YEAR)


def test_an_earn_posted_with_a_volunteer_read_before_their_move_goes_to_the_new_community(
    community, volunteer
):
    elsewhere = CommunityFactory()
    stale = Volunteer.objects.get(pk=volunteer.pk)
    move_volunteer(volunteer=volunteer, community=elsewhere)
    post(stale, 9, local(dt.date(YEAR, 6, 1), 10))
    assert months() == {(elsewhere.pk, dt.date(YEAR, 6, 1)): 9}
    assert differences() == []


def test_a_month_written_behind_the_ledgers_back_is_named(community, volunteer):
    post(volunteer, 20, local(dt.date(YEAR, 2, 3), 10))
    PointsMonth.objects.update(earned=25)
    assert differences() == [f"{community.name} {YEAR}年02月的获得积分：获得积分记录为 25，按明细应为 20"]
