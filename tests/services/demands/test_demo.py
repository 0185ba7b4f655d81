"""The demo demands: the articles' cases at every state, and the city-scale bulk history; replaying
each demand's transitions gives its state and reopen count, for every demand."""

import io

import pytest
from django.core.management import call_command

from members.models import PointsEntry
from services import demands as ops
from services.demo_demands import build_city
from services.models import Demand, DemandStatus, DemandTransition
from services.reconcile import demand_timeline
from tests.factories import CommunityFactory, DemandCategoryFactory, GridFactory, TownFactory

pytestmark = pytest.mark.django_db


def assert_replays(demands):
    transitions = {}
    for t in DemandTransition.objects.filter(demand__in=demands).order_by("pk"):
        transitions.setdefault(t.demand_id, []).append(t)
    for demand in demands:
        assert ops.replay(transitions[demand.pk]) == (demand.status, demand.reopen_count), demand.pk


def test_the_named_demo_has_every_state_and_replays():
    call_command("seed_demo", stdout=io.StringIO())
    demands = list(Demand.objects.all())
    assert {d.status for d in demands} == set(DemandStatus.values)
    titles = " ".join(d.title for d in demands)
    for case in ("启发广场小区电动车乱停乱放", "灯泡更换", "家电维修"):
        assert case in titles
    assert any(d.reopen_count for d in demands) and any(d.escalated_at for d in demands)
    assert_replays(demands)
    assert list(demand_timeline()) == []
    # The closed order (冰箱不制冷, rated 满意) earned the “苏会党员” taker the demand-order rule's points.
    fridge = Demand.objects.get(title="家电维修：冰箱不制冷", status=DemandStatus.CLOSED)
    entry = PointsEntry.objects.get(source=f"demand:{fridge.pk}")
    assert (entry.rule.code, entry.amount, entry.volunteer.member.name) == (ops.ORDER_RULE_CODE, 10, "周建华")
    # Seeding again adds nothing.
    call_command("seed_demo", stdout=io.StringIO())
    assert Demand.objects.count() == len(demands)


def test_the_city_history_replays_and_has_overdue_and_reopened_demands():
    town = TownFactory()
    for _ in range(3):
        GridFactory(parent=CommunityFactory(parent=town, latitude=31.3, longitude=120.6))
    DemandCategoryFactory(name="设施维修", deadline_days=3)
    build_city(total=1200, stdout=io.StringIO(), chunk=500)
    demands = list(Demand.objects.all())
    assert len(demands) == 1200
    assert any(d.reopen_count for d in demands) and any(d.overdue_at for d in demands)
    assert_replays(demands)
    assert list(demand_timeline()) == []
