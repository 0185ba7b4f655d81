"""The ledger under concurrency (PostgreSQL; each worker thread has its own connection).

The done-when of issue 14: 1,000 concurrent verifications, 200 of them repeating another's record, post
exactly 800 entries; 500 concurrent redemptions against a stock of 100 reserve exactly 100; no balance
is negative and reconcile reports nothing.
"""

import queue
import random
import threading

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from members.errors import Refusal
from members.models import (
    EntryKind,
    PointsEntry,
    PointsMonth,
    Redemption,
    Reward,
    ServiceRecord,
    ServiceStatus,
    User,
    Volunteer,
)
from members.points import move_volunteer, post_entry
from members.rewards import request_redemption
from members.service_records import verify_service
from sites.reconcile import checks
from tests.factories import CommunityFactory, RewardFactory, StaffFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 24


def run_pool(calls):
    """Run every call on a pool of WORKERS threads (each its own connection); return the outcomes."""
    tasks = queue.Queue()
    for i, call in enumerate(calls):
        tasks.put((i, call))
    outcomes = [None] * len(calls)
    barrier = threading.Barrier(WORKERS)

    def worker():
        try:
            barrier.wait()
            while True:
                try:
                    i, call = tasks.get_nowait()
                except queue.Empty:
                    return
                try:
                    call()
                    outcomes[i] = "ok"
                except Refusal as refusal:
                    outcomes[i] = refusal.message
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def volunteers(community, n, prefix):
    users = User.objects.bulk_create(User(username=f"{prefix}{i}", role="volunteer") for i in range(n))
    return Volunteer.objects.bulk_create(
        Volunteer(name=f"志愿者{i}", phone=f"13{i:09d}", community=community, user=user)
        for i, user in enumerate(users)
    )


def assert_books_balance():
    assert not Volunteer.objects.filter(points__lt=0).exists()
    assert [str(d) for check in checks() for d in check.run()] == []


def test_a_thousand_verifications_with_repeats_post_eight_hundred_entries(community, rule):
    staff = StaffFactory(area=community)
    people = volunteers(community, 100, "v")
    records = ServiceRecord.objects.bulk_create(
        ServiceRecord(
            volunteer=people[i % 100], rule=rule, title="巡查", place="小区", served_on="2026-01-05", units=1
        )
        for i in range(800)
    )
    targets = records + random.Random(14).sample(records, 200)
    random.Random(15).shuffle(targets)

    outcomes = run_pool([lambda r=r: verify_service(record=r, by=staff) for r in targets])

    assert outcomes.count("ok") == 800
    assert all("已经审核过" in o for o in outcomes if o != "ok")
    assert PointsEntry.objects.filter(kind=EntryKind.EARN).count() == 800
    assert ServiceRecord.objects.filter(status=ServiceStatus.VERIFIED).count() == 800
    assert set(Volunteer.objects.values_list("points", flat=True)) == {80}
    assert_books_balance()


def test_five_hundred_redemptions_against_a_stock_of_a_hundred_reserve_a_hundred(community):
    people = volunteers(community, 250, "r")
    for volunteer in people:
        with transaction.atomic():
            post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=100, source=f"grant:{volunteer.pk}")
    reward = RewardFactory(price=50, stock=100)
    # Each volunteer asks twice: both fit their points; only the stock stands in the way.
    calls = [lambda v=v: request_redemption(volunteer=v, reward=reward, by=v.user) for v in people * 2]
    random.Random(16).shuffle(calls)

    outcomes = run_pool(calls)

    assert outcomes.count("ok") == 100
    assert all("已兑完" in o for o in outcomes if o != "ok")
    assert Reward.objects.get(pk=reward.pk).stock == 0
    assert Redemption.objects.count() == 100
    assert PointsEntry.objects.filter(kind=EntryKind.REDEEM).count() == 100
    assert_books_balance()


def test_redemptions_never_overdraw_a_balance(community):
    """Twenty requests of one volunteer with points for three: three are reserved, never a fourth."""
    (volunteer,) = volunteers(community, 1, "o")
    with transaction.atomic():
        post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=150, source="grant")
    reward = RewardFactory(price=50, stock=100)

    outcomes = run_pool(
        [lambda: request_redemption(volunteer=volunteer, reward=reward, by=volunteer.user)] * 20
    )

    assert outcomes.count("ok") == 3
    volunteer.refresh_from_db()
    assert volunteer.points == 0
    assert Reward.objects.get(pk=reward.pk).stock == 97
    assert_books_balance()


def test_earns_racing_volunteers_moves_leave_every_communitys_months_as_the_ledger_says(community):
    elsewhere = CommunityFactory()
    people = volunteers(community, 20, "m")
    # 400 earns and 40 moves back and forth at once, each with its own copy of the volunteer read before
    # any move (as a page would hold one).
    copies = [Volunteer.objects.get(pk=people[i % 20].pk) for i in range(440)]
    earns = [lambda v=copies[i], i=i: _earn(v, i) for i in range(400)]
    to = (elsewhere, community)
    moves = [
        lambda v=copies[400 + i], i=i: move_volunteer(volunteer=v, community=to[i // 20 % 2])
        for i in range(40)
    ]
    calls = earns + moves
    random.Random(17).shuffle(calls)

    outcomes = run_pool(calls)

    assert outcomes == ["ok"] * len(calls)
    assert PointsMonth.objects.aggregate(total=Sum("earned"))["total"] == 400 * 5
    assert_books_balance()


def _earn(volunteer, i):
    with transaction.atomic():
        post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=5, source=f"race:{i}")
