"""`manage.py reconcile`: every stored counter against its ledger, in a constant number of queries."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import demo, funds, workflow
from projects.models import CommunityFund, Project, Status
from sites import reconcile as registry
from tests.factories import (
    CommunityFactory,
    CommunityFundFactory,
    ExpenseFactory,
    ProjectFactory,
    TownFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def reconcile():
    """(exit status, output) of `manage.py reconcile`."""
    out = io.StringIO()
    try:
        call_command("reconcile", stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def run_project(community, community_staff, street_staff, *, budget, spend, publish=False):
    """A project through the real money functions: committed, expenses approved, maybe published."""
    project = ProjectFactory(community=community, status=Status.DEFINED, budget=Decimal(budget))
    for step in (Status.FILED, Status.FUNDED):
        workflow.advance(project=project, to=step, by=street_staff)
    workflow.advance(project=project, to=Status.IN_PROGRESS, by=community_staff)
    for amount in spend:
        expense = ExpenseFactory(project=project, amount=Decimal(amount), submitted_by=community_staff)
        funds.approve_expense(expense=expense, by=street_staff)
    if publish:
        workflow.advance(project=project, to=Status.REIMBURSED, by=community_staff)
        Project.objects.filter(pk=project.pk).update(actual_beneficiaries=80)
        workflow.advance(project=project, to=Status.PUBLISHED, by=community_staff)
    project.refresh_from_db()
    return project


@pytest.fixture
def consistent(community, community_staff, street_staff):
    CommunityFundFactory(community=community, year=2025)
    published = run_project(
        community,
        community_staff,
        street_staff,
        budget="10000.00",
        spend=["3000.10", "2000.20"],
        publish=True,
    )
    running = run_project(community, community_staff, street_staff, budget="8000.00", spend=["0.10", "0.20"])
    return published, running


def test_consistent_money_reconciles_with_status_0(consistent):
    published, running = consistent
    fund = CommunityFund.objects.get()
    # committed: the running project's budget + what the published one spent (its rest went back).
    assert fund.committed == Decimal("8000.00") + Decimal("5000.30")
    status, out = reconcile()
    assert status == 0, out
    assert "✓ 为民服务专项经费：已核拨、已支出：一致" in out
    assert "全部计数与流水一致" in out


def test_a_counter_rewritten_behind_the_ledgers_back_is_reported_with_status_1(consistent):
    published, running = consistent
    fund = CommunityFund.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE projects_project SET spent = spent + 100 WHERE id = %s", [running.pk])
        cursor.execute("UPDATE projects_communityfund SET committed = committed + 1 WHERE id = %s", [fund.pk])
    status, out = reconcile()
    assert status == 1
    assert (
        f"项目“{running.title}”（嘉业阳光城社区 2025年，#{running.pk}）：已支出记录为 100.30，按明细应为 0.30"
        in out
    )
    assert f"嘉业阳光城社区 2025年专项经费（#{fund.pk}）：已核拨记录为 13001.30，按明细应为 13000.30" in out
    assert published.title not in out
    assert "共发现 2 处计数与流水不一致" in out


def test_an_approved_expense_without_its_ledger_row_is_reported(consistent):
    published, running = consistent
    # An expense marked approved by hand, bypassing funds.approve_expense: no ledger row, no spent.
    ExpenseFactory(project=running, amount=Decimal("50.00"), status="approved")
    status, out = reconcile()
    assert status == 1
    assert f"#{running.pk}）：经费流水中的支出记录为 0.30，按明细应为 50.30" in out


def test_query_count_does_not_grow_with_the_data(community, community_staff, street_staff):
    CommunityFundFactory(community=community, year=2025)
    run_project(community, community_staff, street_staff, budget="1000.00", spend=["10.00"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert reconcile()[0] == 0
        return len(captured.captured_queries)

    few = queries()
    for i in range(4):
        CommunityFundFactory(community=CommunityFactory(parent=community.parent), year=2025)
        run_project(
            community, community_staff, street_staff, budget="1000.00", spend=["10.00", f"{i + 1}.00"]
        )
    # funds 1, projects 1, expenses 2; every other registered check runs too: points balances 1, holds 1,
    # reward stock 1, the communities' points months 2 (the entries, the stored months), activity places 1,
    # needs' claimed and fulfilled 1, resources' claimed 1, demand timelines 1
    assert few == queries() == 13


def test_the_demo_reconciles_clean():
    call_command("seed_demo", stdout=io.StringIO())
    admin = UserFactory(is_superuser=True)
    town = TownFactory()
    for _ in range(30):
        CommunityFactory(parent=town)
    demo.build_city_projects(year=2025, admin=admin, stdout=io.StringIO())
    status, out = reconcile()
    assert status == 0, out


def test_a_lower_app_registers_its_own_check():
    """The registry is in `sites`, so members or services add checks without importing projects."""

    @registry.register("tests.always_off", label="测试计数")
    def always_off():
        yield registry.Difference("测试记录（#1）", "数量", 3, 2)

    try:
        assert "tests.always_off" in [check.name for check in registry.checks()]
        status, out = reconcile()
        assert status == 1
        assert "✗ 测试计数：1 处不一致" in out and "测试记录（#1）：数量记录为 3，按明细应为 2" in out
        with pytest.raises(ValueError):
            registry.register("tests.always_off", label="重名")(lambda: [])
    finally:
        registry._checks.pop("tests.always_off")
