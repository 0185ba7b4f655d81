"""积分兑换: reserved at once (points held, stock taken), handed over by the unit, or given back."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from members.errors import Refusal
from members.models import EntryKind, PointsEntry, RedemptionStatus
from members.points import post_entry
from members.rewards import cancel_redemption, expire_redemptions, hand_over, request_redemption
from sites.reconcile import checks
from tests.factories import RewardFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_volunteer(volunteer):
    with transaction.atomic():
        post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=120, source="grant")
    return volunteer


@pytest.fixture
def reward(db):
    return RewardFactory(price=50, stock=2, name="理发券")


def unit_staff(reward):
    return UserFactory(organization=reward.organization)


def state(volunteer, reward):
    volunteer.refresh_from_db()
    reward.refresh_from_db()
    return volunteer.points, reward.stock


def test_a_redemption_holds_points_and_stock_until_the_unit_hands_it_over(rich_volunteer, reward):
    redemption = request_redemption(volunteer=rich_volunteer, reward=reward, by=rich_volunteer.user)
    assert state(rich_volunteer, reward) == (70, 1)
    assert redemption.status == RedemptionStatus.RESERVED

    with pytest.raises(Refusal, match="只有提供该兑换项的单位"):
        hand_over(redemption=redemption, by=rich_volunteer.user)
    done = hand_over(redemption=redemption, by=unit_staff(reward))

    assert done.status == RedemptionStatus.HANDED_OVER
    assert state(rich_volunteer, reward) == (70, 1)
    with pytest.raises(Refusal, match="已领取"):
        cancel_redemption(redemption=redemption, by=rich_volunteer.user)
    assert [str(d) for c in checks() for d in c.run()] == []


def test_staff_of_the_units_area_may_hand_over_too(rich_volunteer, reward):
    redemption = request_redemption(volunteer=rich_volunteer, reward=reward, by=rich_volunteer.user)
    outsider = StaffFactory()
    with pytest.raises(Refusal):
        hand_over(redemption=redemption, by=outsider)
    hand_over(redemption=redemption, by=StaffFactory(area=reward.organization.area))


def test_cancelling_gives_points_and_stock_back(rich_volunteer, reward):
    redemption = request_redemption(volunteer=rich_volunteer, reward=reward, by=rich_volunteer.user)
    cancel_redemption(redemption=redemption, by=rich_volunteer.user)
    assert state(rich_volunteer, reward) == (120, 2)
    assert list(PointsEntry.objects.filter(redemption=redemption).values_list("kind", "amount")) == [
        (EntryKind.REVERSE, 50),
        (EntryKind.REDEEM, -50),
    ]
    assert [str(d) for c in checks() for d in c.run()] == []


def test_an_uncollected_reservation_expires_once(rich_volunteer, reward):
    redemption = request_redemption(volunteer=rich_volunteer, reward=reward, by=rich_volunteer.user)
    assert expire_redemptions() == 0
    with time_machine.travel(redemption.expires_at + dt.timedelta(minutes=1)):
        assert expire_redemptions() == 1
        assert expire_redemptions() == 0
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.EXPIRED
    assert state(rich_volunteer, reward) == (120, 2)


def test_not_enough_points_or_stock_is_refused_with_the_reason(rich_volunteer, reward):
    request_redemption(volunteer=rich_volunteer, reward=reward, by=rich_volunteer.user)
    request_redemption(volunteer=rich_volunteer, reward=reward, by=rich_volunteer.user)
    assert state(rich_volunteer, reward) == (20, 0)
    with pytest.raises(Refusal, match="积分不足"):
        request_redemption(volunteer=rich_volunteer, reward=reward, by=rich_volunteer.user)
    reward.price = 10
    reward.save()
    with pytest.raises(Refusal, match="已兑完"):
        request_redemption(volunteer=rich_volunteer, reward=reward, by=rich_volunteer.user)
    with pytest.raises(Refusal, match="只能用自己的积分"):
        request_redemption(volunteer=rich_volunteer, reward=reward, by=unit_staff(reward))
