"""Every step of the seven-step workflow and every refusal, through the API's advance endpoint."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import (
    CommunityFund,
    ExpenseStatus,
    FundLedgerEntry,
    LedgerKind,
    ProjectStep,
    Status,
)
from tests.factories import CommunityFundFactory, ExpenseFactory, ProjectFactory, StaffFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db


def post_step(user, project, to, comment=""):
    return client_for(user).post(
        reverse("projects:api-project-advance", args=[project.pk]),
        {"to": to, "comment": comment},
        content_type="application/json",
    )


@pytest.fixture
def project(community):
    return ProjectFactory(community=community, budget=Decimal("30000.00"))


def at(project, status, **fields):
    for name, value in {"status": status, **fields}.items():
        setattr(project, name, value)
    project.save()
    return project


# (from, to, who) for every allowed step
ALLOWED = [
    (Status.SURVEYING, Status.DEFINED, "community_staff"),
    (Status.DEFINED, Status.FILED, "street_staff"),
    (Status.FILED, Status.FUNDED, "street_staff"),
    (Status.FUNDED, Status.IN_PROGRESS, "community_staff"),
]


@pytest.mark.parametrize(("source", "target", "who"), ALLOWED)
def test_each_allowed_step_is_taken_and_recorded(request, project, source, target, who):
    at(project, source)
    user = request.getfixturevalue(who)
    response = post_step(user, project, target, "按计划办理")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == target
    step = ProjectStep.objects.get(project=project)
    assert (step.from_status, step.to_status, step.by, step.comment) == (source, target, user, "按计划办理")


@pytest.mark.parametrize(("source", "target", "who"), ALLOWED)
def test_each_step_refused_for_the_other_role(request, project, source, target, who):
    at(project, source)
    other = "street_staff" if who == "community_staff" else "community_staff"
    response = post_step(request.getfixturevalue(other), project, target)
    assert response.status_code == 403
    assert "须由项目所在的" in response.json()["detail"]
    assert not ProjectStep.objects.exists()


def test_full_path_to_published_commits_spends_and_releases(project, community_staff, street_staff):
    for to, user in [
        (Status.DEFINED, community_staff),
        (Status.FILED, street_staff),
        (Status.FUNDED, street_staff),
        (Status.IN_PROGRESS, community_staff),
    ]:
        assert post_step(user, project, to).status_code == 200
    expense = ExpenseFactory(project=project, amount=Decimal("12000.00"), submitted_by=community_staff)
    assert post_step(community_staff, project, Status.REIMBURSED).status_code == 200
    client_for(street_staff).post(reverse("projects:api-expense-approve", args=[expense.pk]))
    project.refresh_from_db()
    project.actual_beneficiaries = 420
    project.save()
    assert post_step(community_staff, project, Status.PUBLISHED).status_code == 200

    fund = CommunityFund.objects.get(community=project.community, year=project.year)
    # 30,000 committed, 12,000 spent, 18,000 released at 公示.
    assert (fund.committed, fund.spent) == (Decimal("12000.00"), Decimal("12000.00"))
    kinds = list(FundLedgerEntry.objects.order_by("pk").values_list("kind", "amount"))
    assert kinds == [
        (LedgerKind.COMMIT, Decimal("30000.00")),
        (LedgerKind.EXPENSE, Decimal("12000.00")),
        (LedgerKind.RELEASE, Decimal("18000.00")),
    ]
    assert ProjectStep.objects.filter(project=project).count() == 6


def test_send_back_needs_a_reason(project, street_staff):
    at(project, Status.FILED)
    response = post_step(street_staff, project, Status.DEFINED)
    assert response.status_code == 400
    assert "请填写原因" in response.json()["detail"]
    response = post_step(street_staff, project, Status.DEFINED, "预算明细不全，请补充")
    assert response.status_code == 200
    assert response.json()["steps"][-1]["comment"] == "预算明细不全，请补充"


def test_wrong_order_is_a_conflict_naming_the_next_step(project, street_staff):
    at(project, Status.DEFINED)
    response = post_step(street_staff, project, Status.FUNDED)
    assert response.status_code == 409
    assert (
        response.json()["detail"]
        == "项目当前处于“确定项目”步骤，不能直接进入“经费核拨”。下一步应为“审核备案”。"
    )


def test_no_step_after_published(project, community_staff):
    at(project, Status.PUBLISHED)
    response = post_step(community_staff, project, Status.SURVEYING)
    assert response.status_code == 409
    assert "流程已结束" in response.json()["detail"]


def test_unknown_step_is_a_400(project, community_staff):
    response = post_step(community_staff, project, "launched")
    assert response.status_code == 400
    assert "没有“launched”这个步骤" in str(response.json())


def test_out_of_area_is_a_404(project, other_street_staff):
    at(project, Status.DEFINED)
    assert post_step(other_street_staff, project, Status.FILED).status_code == 404


def test_district_admin_sees_but_cannot_act(project, community):
    from members.models import Role

    admin = StaffFactory(role=Role.DISTRICT_ADMIN, area=community.parent.parent)
    at(project, Status.DEFINED)
    response = post_step(admin, project, Status.FILED)
    assert response.status_code == 403


def test_missing_budget_refused(project, community_staff):
    at(project, Status.SURVEYING, budget=Decimal("0"))
    response = post_step(community_staff, project, Status.DEFINED)
    assert response.status_code == 400
    assert response.json()["detail"] == "请先填写项目预算（大于零）。"


def test_funding_past_the_fund_refused(project, street_staff, community):
    CommunityFundFactory(community=community, year=2025, committed=Decimal("180000.00"))
    at(project, Status.FILED)
    response = post_step(street_staff, project, Status.FUNDED)
    assert response.status_code == 409
    assert "尚可核拨 20000.00 元，本项目预算 30000.00 元" in response.json()["detail"]
    project.refresh_from_db()
    assert project.status == Status.FILED
    assert not FundLedgerEntry.objects.exists()


def test_reimbursement_needs_an_expense(project, community_staff):
    at(project, Status.IN_PROGRESS)
    response = post_step(community_staff, project, Status.REIMBURSED)
    assert response.status_code == 400
    assert "至少一笔支出" in response.json()["detail"]


def test_publish_refused_with_pending_expense_or_without_beneficiaries(project, community_staff):
    at(project, Status.REIMBURSED)
    ExpenseFactory(project=project, submitted_by=community_staff)
    response = post_step(community_staff, project, Status.PUBLISHED)
    assert response.status_code == 409
    assert "待街道审核的支出" in response.json()["detail"]
    project.expenses.update(status=ExpenseStatus.REJECTED)
    response = post_step(community_staff, project, Status.PUBLISHED)
    assert response.status_code == 400
    assert "实际惠及人次" in response.json()["detail"]


def test_steps_and_ledger_are_append_only(project, community_staff):
    from sites.append_only import AppendOnlyError

    at(project, Status.SURVEYING)
    post_step(community_staff, project, Status.DEFINED)
    step = ProjectStep.objects.get()
    step.comment = "改写历史"
    with pytest.raises(AppendOnlyError):
        step.save()
    with pytest.raises(AppendOnlyError):
        step.delete()
