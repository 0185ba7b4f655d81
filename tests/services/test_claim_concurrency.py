"""Races on one need: 200 units claim one each of a need asking for 5, all at once.

PostgreSQL is the real test: the row lock on the need orders the claims. 40 threads released together
make the 200 claims, five each in a row (the machine's PostgreSQL takes 100 connections, shared).
"""

import pytest

from services import claims
from services.models import Claim, ClaimStatus, Need
from services.reconcile import need_claimed
from tests.factories import NeedFactory, UnitStaffFactory

from .test_activity_concurrency import race_each
from .test_concurrency import race

UNITS, ASKED = 200, 5


def outcome(work):
    try:
        return work().status
    except claims.ClaimConflict:
        return "conflict"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_200_concurrent_claims_for_5_give_exactly_5():
    need = NeedFactory(quantity=ASKED)
    staff = [UnitStaffFactory(organization__area=need.community) for _ in range(UNITS)]

    outcomes = race_each(lambda s: outcome(lambda: claims.claim_need(need=need, by=s, quantity=1)), staff)

    assert outcomes == {ClaimStatus.PENDING: ASKED, "conflict": UNITS - ASKED}
    assert Need.objects.get(pk=need.pk).claimed == ASKED
    assert Claim.objects.filter(need=need).count() == ASKED
    assert list(need_claimed()) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_the_same_unit_claiming_twice_at_once_gets_one_claim():
    need = NeedFactory(quantity=ASKED)
    staff = UnitStaffFactory(organization__area=need.community)

    outcomes = race(lambda i: outcome(lambda: claims.claim_need(need=need, by=staff, quantity=1)), 10)

    assert outcomes == {ClaimStatus.PENDING: 1, "conflict": 9}
    assert Need.objects.get(pk=need.pk).claimed == 1
    assert list(need_claimed()) == []
