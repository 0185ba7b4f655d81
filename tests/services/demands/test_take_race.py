"""接单 races: 100 party members of one organisation take the same demand at once; exactly one gets it.

PostgreSQL is the real test: the row lock on the demand queues the takers and the partial unique index
`demand_one_active_taker` would refuse a second live taking whatever the code did. The machine's
PostgreSQL takes 100 connections, shared, so 50 threads released together make the 100 attempts, two
each in a row: at every moment 50 transactions contend for the one demand.
"""

from collections import Counter

import pytest

from members.errors import Refusal
from services import demands as ops
from services.models import Demand, DemandStatus, DemandTaking
from services.reconcile import demand_timeline
from tests.factories import DemandFactory
from tests.services.test_concurrency import race

from .conftest import reported_member

TAKERS, THREADS = 100, 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_100_concurrent_takes_give_exactly_one_taker(
    resident, staff, community, organization, category
):
    demand = DemandFactory(resident=resident, category=category, title="家电维修")
    ops.accept(demand=demand, by=staff)
    ops.dispatch(demand=demand, by=staff, organization=organization)
    users = [reported_member(community, organization, name=f"党员{i}").user for i in range(TAKERS)]

    def attempt(user):
        try:
            ops.take(demand=demand, by=user)
            return "taken"
        except Refusal as refusal:
            return refusal.message

    per_thread = race(lambda i: tuple(attempt(user) for user in users[i::THREADS]), THREADS)
    outcomes = Counter(outcome for outcomes, n in per_thread.items() for outcome in outcomes * n)
    assert outcomes == {"taken": 1, "该诉求已有党员接单。": TAKERS - 1}
    assert DemandTaking.objects.filter(demand=demand, released_at=None).count() == 1
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.TAKEN
    assert list(demand_timeline()) == []
