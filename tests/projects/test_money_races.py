"""The money never breaks under concurrent requests (PostgreSQL: each thread its own connection)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from projects.models import (
    CommunityFund,
    Expense,
    ExpenseStatus,
    FundLedgerEntry,
    LedgerKind,
    Project,
    Status,
)
from tests.factories import CommunityFundFactory, ExpenseFactory, ProjectFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(n, work):
    """Start `n` threads on `work(i)` at the same moment; return their results."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def target(i):
        try:
            barrier.wait()
            results[i] = work(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def fund_as(user, project):
    """One 经费核拨 request through the API, as `user`; returns the HTTP status."""
    client = Client()
    client.force_login(user)
    return client.post(
        reverse("projects:api-project-advance", args=[project.pk]),
        {"to": Status.FUNDED},
        content_type="application/json",
    ).status_code


def test_fifty_simultaneous_fundings_never_overspend(community, street_staff):
    CommunityFundFactory(community=community, year=2025, committed=Decimal("150000.00"))
    projects = [
        ProjectFactory(community=community, status=Status.FILED, budget=Decimal("10000.00"))
        for _ in range(50)
    ]

    codes = run_together(50, lambda i: fund_as(street_staff, projects[i]))

    assert codes.count(200) == 5
    assert codes.count(409) == 45
    fund_row = CommunityFund.objects.get(community=community, year=2025)
    assert fund_row.committed == Decimal("200000.00")
    assert Project.objects.filter(status=Status.FUNDED).count() == 5
    commits = FundLedgerEntry.objects.filter(kind=LedgerKind.COMMIT)
    assert commits.count() == 5
    assert commits.aggregate(s=Sum("amount"))["s"] == Decimal("50000.00")
    assert set(commits.values_list("project__status", flat=True)) == {Status.FUNDED}


def test_fifty_simultaneous_approvals_never_pass_the_budget(community, community_staff, street_staff):
    CommunityFundFactory(
        community=community, year=2025, committed=Decimal("10000.00"), spent=Decimal("5000.00")
    )
    project = ProjectFactory(
        community=community, status=Status.IN_PROGRESS, budget=Decimal("10000.00"), spent=Decimal("5000.00")
    )
    expenses = [
        ExpenseFactory(project=project, amount=Decimal("1000.00"), submitted_by=community_staff)
        for _ in range(50)
    ]

    def approve(i):
        client = Client()
        client.force_login(street_staff)
        return client.post(reverse("projects:api-expense-approve", args=[expenses[i].pk])).status_code

    codes = run_together(50, approve)

    assert codes.count(200) == 5
    assert codes.count(409) == 45
    project.refresh_from_db()
    assert project.spent == project.budget == Decimal("10000.00")
    fund_row = CommunityFund.objects.get(community=community, year=2025)
    assert fund_row.spent == Decimal("10000.00")
    assert Expense.objects.filter(status=ExpenseStatus.APPROVED).count() == 5
    assert FundLedgerEntry.objects.filter(kind=LedgerKind.EXPENSE).aggregate(s=Sum("amount"))["s"] == Decimal(
        "5000.00"
    )


def test_double_click_takes_a_step_once(community, street_staff):
    project = ProjectFactory(community=community, status=Status.FILED, budget=Decimal("10000.00"))

    codes = run_together(10, lambda i: fund_as(street_staff, project))
    assert sorted(codes) == [200] + [409] * 9
    assert CommunityFund.objects.get(community=community).committed == Decimal("10000.00")


def test_funds_created_on_demand_under_a_race(town, street_staff):
    """Ten first fundings in a fresh community-year: one fund row, no IntegrityError surfaces."""
    from tests.factories import CommunityFactory

    community = CommunityFactory(parent=town)
    projects = [ProjectFactory(community=community, status=Status.FILED) for _ in range(10)]

    codes = run_together(10, lambda i: fund_as(street_staff, projects[i]))
    assert codes == [200] * 10
    assert CommunityFund.objects.filter(community=community).count() == 1
    assert CommunityFund.objects.get(community=community).committed == Decimal("100000.00")
