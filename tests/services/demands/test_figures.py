"""The demand figures equal hand-written SQL for several areas; closed-without-resolution is not 办结,
and open demands past their deadline pull 按时办结率 down."""

import datetime as dt
import random

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from members.models import Role
from services import demands as ops
from services.demand_figures import headline, summarize
from services.models import Rating
from services.working_days import LOCAL
from tests.factories import (
    CommunityFactory,
    DemandCategoryFactory,
    DemandFactory,
    GridFactory,
    ResidentFactory,
    StaffFactory,
    TownFactory,
)

pytestmark = pytest.mark.django_db
ACCEPTED = dt.datetime(2026, 11, 2, 10, tzinfo=LOCAL)  # Monday; three working days: due 11-05


def pct(top, bottom):
    return round(top * 100 / bottom, 1) if bottom else None


def by_hand(area, now):
    """The definitions of services/demand_figures.py, written out again as plain SQL."""
    ts = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(*),
                   SUM(CASE WHEN d.status IN ('resolved', 'closed') THEN 1 ELSE 0 END),
                   SUM(CASE WHEN d.status IN ('duplicate', 'rejected') THEN 1 ELSE 0 END),
                   SUM(CASE WHEN d.status IN ('resolved', 'closed') AND d.resolved_at <= d.deadline
                            THEN 1 ELSE 0 END),
                   SUM(CASE WHEN d.status IN ('accepted', 'dispatched', 'taken') AND d.deadline < %s
                            THEN 1 ELSE 0 END),
                   AVG(CASE WHEN d.status IN ('resolved', 'closed') THEN d.working_days_taken END)
              FROM services_demand d JOIN sites_area a ON a.id = d.community_id
             WHERE a.path LIKE %s
            """,
            [ts(now), area.path + "%"],
        )
        received, done, dropped, on_time, overdue_open, days = cursor.fetchone()
        cursor.execute(
            """
            SELECT SUM(CASE WHEN e.rating IN ('satisfied', 'fairly_satisfied') THEN 1 ELSE 0 END), COUNT(*)
              FROM services_evaluation e
              JOIN services_demand d ON d.id = e.demand_id
              JOIN sites_area a ON a.id = d.community_id
             WHERE a.path LIKE %s
            """,
            [area.path + "%"],
        )
        happy, rated = cursor.fetchone()
    return {
        "received": float(received),
        "resolved_rate": pct(done or 0, received - (dropped or 0)),
        "on_time_rate": pct(on_time or 0, (done or 0) + (overdue_open or 0)),
        "satisfaction": pct(happy or 0, rated),
        "working_days": round(float(days), 1) if days is not None else None,
    }


@pytest.fixture
def city_part(db):
    """Two streets of three communities each, 60 demands of two categories in every state, on time and
    late."""
    rng = random.Random(17)
    categories = [
        DemandCategoryFactory(name="设施维修", deadline_days=3),
        DemandCategoryFactory(name="环境秩序", deadline_days=5),
    ]
    towns = [TownFactory(name=name) for name in ("苏锦街道", "娄葑街道")]
    communities = [
        CommunityFactory(parent=t, latitude=31.3, longitude=120.6) for t in towns for _ in range(3)
    ]
    for community in communities:
        staff = StaffFactory(role=Role.COMMUNITY_STAFF, area=community)
        grid = GridFactory(parent=community)
        for _ in range(10):
            resident = ResidentFactory(community=community, grid=grid)
            demand = DemandFactory(resident=resident, category=rng.choice(categories))
            fate = rng.choice(
                ["open", "late-open", "on-time", "late", "rejected", "duplicate", "transfer", "bad"]
            )
            if fate in ("rejected", "duplicate"):
                ops.reject(demand=demand, by=staff, reason="不属于受理范围")
                continue
            if fate == "transfer":
                ops.promote(demand=demand, by=staff, reason="列入需求清单")
                continue
            with time_machine.travel(ACCEPTED, tick=False) as clock:
                ops.accept(demand=demand, by=staff)
                if fate in ("open", "late-open"):
                    continue
                clock.shift(dt.timedelta(days=2 if fate in ("on-time", "bad") else 9))
                ops.resolve(demand=demand, by=staff, note="已处理")
                rating = (
                    Rating.DISSATISFIED
                    if fate == "bad"
                    else rng.choice([Rating.SATISFIED, Rating.FAIRLY_SATISFIED])
                )
                ops.evaluate(demand=demand, by=resident.user, rating=rating)
    return towns, communities


def test_the_figures_equal_hand_written_sql_for_several_areas(city_part):
    towns, communities = city_part
    now = timezone.now()
    for area in [towns[0].parent, *towns, *communities[::2]]:
        summary = summarize(area, 2026, now=now)
        values = summary["total"].values
        assert {
            key: values[key]
            for key in ("received", "resolved_rate", "on_time_rate", "satisfaction", "working_days")
        } == (by_hand(area, now)), area.name
    # The street's rows per community add up to its total.
    street = summarize(towns[0], 2026, now=now)
    assert sum(row.values["received"] for row in street["children"]) == street["total"].values["received"]


def test_the_totals_added_up_from_the_groups_equal_one_aggregate_over_the_area(city_part):
    """summarize adds its (child, category) rows up: every figure, the average working days included,
    equals the one aggregate query of `headline`, for the city, a street and a community."""
    towns, communities = city_part
    now = timezone.now()
    empty = CommunityFactory(parent=towns[0])
    for area in [towns[0].parent, towns[1], communities[0], empty]:
        summary = summarize(area, 2026, now=now)
        assert summary["total"].values == headline(area, 2026, now=now).values, area.name
        for rows in (summary["children"], summary["categories"]):
            assert sum(row.values["received"] for row in rows) == summary["total"].values["received"]
    # and each community's row of its street is that community's own aggregate
    street = summarize(towns[1], 2026, now=now)
    assert len(street["children"]) == 3
    for row in street["children"]:
        assert row.values == headline(towns[1].children.get(name=row.name), 2026, now=now).values


def test_a_demand_ended_without_resolution_is_never_resolved(resident, staff, category):
    demand = DemandFactory(resident=resident, category=category)
    ops.transfer(
        demand=demand, by=staff, to=CommunityFactory(parent=resident.community.parent), reason="不在本社区"
    )
    values = summarize(resident.community, timezone.localdate().year)["total"].values
    assert (values["received"], values["resolved_rate"]) == (1.0, 0.0)


def test_open_and_overdue_lowers_the_on_time_rate(resident, staff, category):
    done, late = (
        DemandFactory(resident=resident, category=category),
        DemandFactory(resident=resident, category=category),
    )
    with time_machine.travel(ACCEPTED, tick=False):
        for demand in (done, late):
            ops.accept(demand=demand, by=staff)
        ops.resolve(demand=done, by=staff, note="已处理")
    values = summarize(resident.community, 2026, now=ACCEPTED + dt.timedelta(days=10))["total"].values
    assert values["on_time_rate"] == 50.0  # one on time, one open past its deadline: not 100 %
    assert values["working_days"] == 0.0


def test_the_page_query_count_is_constant(city_part):
    towns, _ = city_part
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as captured:
        summarize(towns[0], 2026)
    assert len(captured.captured_queries) == 4
