"""A reward's stock against what it was stocked with and its live redemptions (members/reconcile.py:
reward_stock): every path that moves the stock keeps it reconciled; a stock written behind the domain's
back is named; the database refuses a stock above what was ever stocked."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from members.models import EntryKind, Reward
from members.points import post_entry
from members.rewards import cancel_redemption, hand_over, request_redemption, restock
from sites.reconcile import checks
from tests.factories import RewardFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def differences():
    return [str(d) for c in checks() if c.name == "members.reward_stock" for d in c.run()]


@pytest.fixture
def rich_volunteer(volunteer):
    with transaction.atomic():
        post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=500, source="grant")
    return volunteer


def test_redeeming_handing_over_cancelling_and_restocking_all_reconcile(rich_volunteer):
    reward = RewardFactory(price=50, stock=3, name="理发券")
    assert (reward.stock, reward.stocked) == (3, 3)
    by = rich_volunteer.user
    first = request_redemption(volunteer=rich_volunteer, reward=reward, by=by)
    second = request_redemption(volunteer=rich_volunteer, reward=reward, by=by)
    hand_over(redemption=first, by=UserFactory(organization=reward.organization))
    cancel_redemption(redemption=second, by=by)
    restock(reward=reward, by=StaffFactory(area=reward.organization.area), quantity=5)
    reward.refresh_from_db()
    assert (reward.stock, reward.stocked) == (7, 8)  # 8 stocked, 1 handed over
    assert differences() == []


def test_a_stock_written_behind_the_domains_back_is_named(rich_volunteer):
    reward = RewardFactory(price=50, stock=4, name="理发券")
    request_redemption(volunteer=rich_volunteer, reward=reward, by=rich_volunteer.user)
    Reward.objects.filter(pk=reward.pk).update(stock=F("stock") - 2)  # items gone with no redemption
    assert differences() == [f"兑换项“理发券”（#{reward.pk}）：库存记录为 1，按明细应为 3"]


def test_the_database_refuses_a_stock_above_all_ever_stocked():
    reward = RewardFactory(stock=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reward.objects.filter(pk=reward.pk).update(stock=3)
