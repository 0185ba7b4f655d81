"""The closed loop of a demand: 点单 → 受理 → 派单 → 接单 → 办结 → 评价, its side exits and reopening;
the state always equals the replayed transitions, and the deadline fixed at 受理 never moves."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from members.errors import Refusal
from members.models import Notification
from services import demands as ops
from services.models import Demand, DemandStatus, DemandTaking, DemandTransition, Rating
from services.reconcile import demand_timeline
from tests.factories import CommunityFactory, DemandFactory, PointRuleFactory, VolunteerFactory

from .conftest import reported_member

pytestmark = pytest.mark.django_db
S = DemandStatus
# Monday 2026-11-02, 10:00 in Suzhou: no holiday near.
MONDAY = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
SUZHOU = dt.timezone(dt.timedelta(hours=8))


def state_of(demand):
    return ops.replay(DemandTransition.objects.filter(demand=demand).order_by("pk"))


def test_the_whole_loop_with_a_reopen(resident, staff, member, category, grid):
    with time_machine.travel(MONDAY, tick=False) as clock:
        demand = DemandFactory(resident=resident, category=category, grid=grid, title="楼道灯不亮")
        assert (demand.latitude, demand.longitude) == (grid.latitude, grid.longitude)
        ops.accept(demand=demand, by=staff)
        demand.refresh_from_db()
        # Three working days after Monday: Thursday, end of day, Suzhou time.
        assert demand.deadline.astimezone(SUZHOU).isoformat() == "2026-11-05T23:59:59+08:00"
        ops.dispatch(demand=demand, by=staff, member=member)
        ops.take(demand=demand, by=member.user)
        clock.shift(dt.timedelta(days=1))
        ops.resolve(demand=demand, by=member.user, note="已更换灯泡")
        clock.shift(dt.timedelta(days=3))
        ops.evaluate(demand=demand, by=resident.user, rating=Rating.DISSATISFIED, comment="第二天又坏了")
        demand.refresh_from_db()
        assert (demand.status, demand.reopen_count) == (S.DISPATCHED, 1)
        # A new deadline: three working days after Friday 11-06, the days fixed at 受理.
        assert demand.deadline.astimezone(SUZHOU).date() == dt.date(2026, 11, 11)
        assert not DemandTaking.objects.filter(demand=demand, released_at=None).exists()
        ops.take(demand=demand, by=member.user)
        ops.resolve(demand=demand, by=member.user, note="更换了线路")
        ops.evaluate(demand=demand, by=resident.user, rating=Rating.SATISFIED)
    demand.refresh_from_db()
    assert demand.status == S.CLOSED
    assert state_of(demand) == (S.CLOSED, 1)
    assert [t.to_status for t in demand.transitions.order_by("pk")] == [
        S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.TAKEN, S.RESOLVED, S.DISPATCHED, S.TAKEN, S.RESOLVED,
        S.CLOSED,
    ]  # fmt: skip
    assert list(demand_timeline()) == []
    assert Notification.objects.filter(recipient=resident.user, template="demand_resolved").count() == 2


def test_a_category_edit_moves_no_accepted_deadline(resident, staff, category):
    demand = DemandFactory(resident=resident, category=category)
    ops.accept(demand=demand, by=staff)
    before = Demand.objects.get(pk=demand.pk).deadline
    category.deadline_days = 20
    category.save()
    assert Demand.objects.get(pk=demand.pk).deadline == before
    later = DemandFactory(resident=resident, category=category)
    ops.accept(demand=later, by=staff)
    assert Demand.objects.get(pk=later.pk).deadline_days == 20


def test_moves_out_of_order_are_refused_with_the_reason(resident, staff, member, category):
    demand = DemandFactory(resident=resident, category=category)
    with pytest.raises(Refusal, match="待受理的诉求不能接单"):
        ops.take(demand=demand, by=member.user)
    with pytest.raises(Refusal, match="诉求办结后才能评价"):
        ops.evaluate(demand=demand, by=resident.user, rating=Rating.SATISFIED)
    with pytest.raises(Refusal, match="不予受理时请填写原因"):
        ops.reject(demand=demand, by=staff, reason=" ")
    with pytest.raises(Refusal, match="只有该诉求所在社区"):
        ops.accept(demand=demand, by=resident.user)
    assert Demand.objects.get(pk=demand.pk).status == S.SUBMITTED
    assert demand.transitions.count() == 1


def test_only_the_one_it_was_dispatched_to_takes_it(
    resident, staff, member, community, organization, category
):
    other = reported_member(community, organization, name="别的党员")
    demand = DemandFactory(resident=resident, category=category)
    ops.accept(demand=demand, by=staff)
    ops.dispatch(demand=demand, by=staff, member=member)
    with pytest.raises(Refusal, match="未派给您"):
        ops.take(demand=demand, by=other.user)
    ops.take(demand=demand, by=member.user)
    with pytest.raises(Refusal, match="已有党员接单"):
        ops.take(demand=demand, by=member.user)


def test_a_member_who_did_not_report_there_cannot_be_dispatched_to(resident, staff, organization, category):
    stranger = reported_member(CommunityFactory(), organization, name="外社区党员")
    demand = DemandFactory(resident=resident, category=category)
    ops.accept(demand=demand, by=staff)
    with pytest.raises(Refusal, match="未在启发广场社区报到"):
        ops.dispatch(demand=demand, by=staff, member=stranger)


def test_the_database_allows_one_active_taker(resident, staff, member, community, organization, category):
    demand = DemandFactory(resident=resident, category=category)
    DemandTaking.objects.create(demand=demand, member=member, taken_at=MONDAY)
    other = reported_member(community, organization, name="第二人")
    with pytest.raises(IntegrityError), transaction.atomic():
        DemandTaking.objects.create(demand=demand, member=other, taken_at=MONDAY)


def test_transitions_are_never_rewritten(resident, category):
    demand = DemandFactory(resident=resident, category=category)
    with pytest.raises(IntegrityError), transaction.atomic():
        DemandTransition.objects.filter(demand=demand).update(note="改写")
    with pytest.raises(IntegrityError), transaction.atomic():
        DemandTransition.objects.filter(demand=demand).delete()


def test_reconcile_finds_a_state_that_drifted_from_its_timeline(resident, category):
    demand = DemandFactory(resident=resident, category=category)
    Demand.objects.filter(pk=demand.pk).update(status=S.REJECTED)
    [difference] = demand_timeline()
    assert (difference.stored, difference.computed) == (S.REJECTED, S.SUBMITTED)


def test_side_exits(resident, staff, category, community):
    rejected = DemandFactory(resident=resident, category=category)
    ops.reject(demand=rejected, by=staff, reason="属于物业合同范围，请联系物业")
    original = DemandFactory(resident=resident, category=category)
    copy = DemandFactory(resident=resident, category=category)
    ops.mark_duplicate(demand=copy, by=staff, of=original)
    promoted = DemandFactory(resident=resident, category=category)
    ops.promote(demand=promoted, by=staff, reason="多户反映，列入需求清单统筹")
    moved = DemandFactory(resident=resident, category=category)
    elsewhere = CommunityFactory(parent=community.parent, name="新康社区")
    ops.transfer(demand=moved, by=staff, to=elsewhere, reason="位置在新康社区")
    moved.refresh_from_db()
    assert moved.status == S.TRANSFERRED
    assert (moved.transferred_to.community, moved.transferred_to.status) == (elsewhere, S.SUBMITTED)
    for demand, status in ((rejected, S.REJECTED), (copy, S.DUPLICATE), (promoted, S.PROMOTED)):
        assert Demand.objects.get(pk=demand.pk).status == status
    with pytest.raises(Refusal, match="不予受理的诉求不能转办"):
        ops.transfer(demand=rejected, by=staff, to=elsewhere, reason="再转")
    assert list(demand_timeline()) == []


def test_the_resident_reopens_within_seven_days_and_it_closes_itself_after(resident, staff, category):
    first, second = (DemandFactory(resident=resident, category=category) for _ in range(2))
    for demand in (first, second):
        ops.accept(demand=demand, by=staff)
        ops.resolve(demand=demand, by=staff, note="社区已处理")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=6)):
        ops.reopen(demand=first, by=resident.user, note="问题还在")
    assert Demand.objects.get(pk=first.pk).reopen_count == 1
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=8)):
        with pytest.raises(Refusal, match="超过 7 天"):
            ops.reopen(demand=second, by=resident.user, note="问题还在")
        assert ops.close_expired() == 1
        assert ops.close_expired() == 0
    assert Demand.objects.get(pk=second.pk).status == S.CLOSED


def _order_taken_resolved_and_rated(demand, staff, member, resident, rating):
    """受理 → 派单 to `member` → 接单 → 办结 → the resident's `rating` (满意 or 基本满意 closes it)."""
    ops.accept(demand=demand, by=staff)
    ops.dispatch(demand=demand, by=staff, member=member)
    ops.take(demand=demand, by=member.user)
    ops.resolve(demand=demand, by=member.user, note="已修好")
    ops.evaluate(demand=demand, by=resident.user, rating=rating)


def test_a_closed_order_earns_the_member_points_once(resident, staff, member, category, community):
    volunteer = VolunteerFactory(member=member, community=community, user=None)
    PointRuleFactory(code=ops.ORDER_RULE_CODE, area=community, points_per_unit=5)
    demand = DemandFactory(resident=resident, category=category)
    _order_taken_resolved_and_rated(demand, staff, member, resident, Rating.FAIRLY_SATISFIED)
    volunteer.refresh_from_db()
    assert volunteer.points == 5
    assert volunteer.points_entries.get().source == f"demand:{demand.pk}"
    with pytest.raises(Refusal, match="诉求办结后才能评价"):
        ops.evaluate(demand=demand, by=resident.user, rating=Rating.SATISFIED)


def test_the_order_rule_is_the_one_in_force_on_suzhous_date(resident, staff, member, category, community):
    """Closed at 00:30 on 1 January in Suzhou (still 31 December in UTC): the year's new rule applies."""
    volunteer = VolunteerFactory(member=member, community=community, user=None)
    common = {"code": ops.ORDER_RULE_CODE, "area": community}
    PointRuleFactory(**common, points_per_unit=5, effective_to=dt.date(2026, 12, 31))
    PointRuleFactory(**common, points_per_unit=8, version=2, effective_from=dt.date(2027, 1, 1))
    demand = DemandFactory(resident=resident, category=category)
    with time_machine.travel(dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), tick=False):
        _order_taken_resolved_and_rated(demand, staff, member, resident, Rating.SATISFIED)
    volunteer.refresh_from_db()
    assert volunteer.points == 8
