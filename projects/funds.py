"""The money: committing a budget to a community's fund, expenses against a budget, the unspent remainder.

Each operation is one transaction that (1) changes the running total with ONE conditional UPDATE whose
WHERE clause says "only if it still fits", (2) checks that a row was updated, (3) appends a ledger row.
Under concurrent requests PostgreSQL re-evaluates the WHERE clause on the row version the previous
writer committed, so no interleaving can overspend; the CheckConstraints catch anything that slips past.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from members.models import Role

from .actors import require_actor
from .errors import WorkflowError
from .models import (
    EXPENSE_STATUSES,
    CommunityFund,
    Expense,
    ExpenseStatus,
    FundLedgerEntry,
    LedgerKind,
    Project,
)


def fund_for(*, community, year):
    """The community's fund for `year`, created on first use with the default amount.

    get_or_create runs its INSERT in a savepoint and, on the IntegrityError of a concurrent creator
    (unique community+year), reads the row the other transaction committed: safe under races.
    """
    fund, _ = CommunityFund.objects.get_or_create(community=community, year=year)
    return fund


# Street and district staff set a community's yearly amount when it differs from the default.
FUND_SETTERS = (Role.STREET_STAFF, Role.DISTRICT_ADMIN)


def may_set_amount(user, community=None):
    return user.is_authenticated and user.acts_as_any(FUND_SETTERS, community)


def amount_refusal(*, committed, amount):
    """Why `amount` can't be a fund's total with `committed` already committed, or None if it can."""
    if amount < 0:
        return "金额不能为负数。"
    if amount < committed:
        return f"经费总额不能少于已核拨给项目的 {committed} 元（还差 {committed - amount} 元）。"
    return None


def open_fund(*, community, year, amount, by):
    """A community-year fund with an amount other than the default, before any budget is committed."""
    if not may_set_amount(by, community):
        raise WorkflowError("只有街道或区级工作人员可以设定社区专项经费。", kind=WorkflowError.FORBIDDEN)
    fund = CommunityFund(community=community, year=year, amount=amount)
    fund.full_clean()
    fund.save()
    return fund


def set_amount(*, fund, amount, by):
    """Change a fund's total; never below what is already committed (one conditional UPDATE)."""
    if not may_set_amount(by, fund.community):
        raise WorkflowError("只有街道或区级工作人员可以设定社区专项经费。", kind=WorkflowError.FORBIDDEN)
    with transaction.atomic():
        if not CommunityFund.objects.filter(pk=fund.pk, committed__lte=amount).update(amount=amount):
            fund.refresh_from_db()
            raise WorkflowError(amount_refusal(committed=fund.committed, amount=amount) or "经费总额无效。")
    fund.amount = amount
    return fund


def commit_budget(*, project, by):
    """经费核拨: reserve the project's budget in its community-year fund, or refuse if it doesn't fit."""
    budget = project.budget
    if budget <= 0:
        raise WorkflowError("项目预算必须大于零才能核拨经费。", kind=WorkflowError.INVALID)
    with transaction.atomic():
        fund = fund_for(community=project.community, year=project.year)
        fitted = CommunityFund.objects.filter(pk=fund.pk, committed__lte=F("amount") - budget).update(
            committed=F("committed") + budget
        )
        if not fitted:
            fund.refresh_from_db()
            raise WorkflowError(
                f"{project.community}{project.year}年专项经费余额不足：尚可核拨 {fund.available} 元，"
                f"本项目预算 {budget} 元。",
                kind=WorkflowError.CONFLICT,
            )
        FundLedgerEntry.objects.create(
            fund=fund, project=project, kind=LedgerKind.COMMIT, amount=budget, by=by
        )


def release_unspent(*, project, by):
    """上报公示 closes the project: what it did not spend goes back to the community's fund."""
    unspent = project.budget - project.spent
    if unspent <= 0:
        return
    with transaction.atomic():
        fund = CommunityFund.objects.get(community=project.community_id, year=project.year)
        CommunityFund.objects.filter(pk=fund.pk).update(committed=F("committed") - unspent)
        FundLedgerEntry.objects.create(
            fund=fund, project=project, kind=LedgerKind.RELEASE, amount=unspent, by=by
        )


def submit_expense(*, project, by, date, payee, amount, purpose, receipt, payee_is_person=False):
    """支出报销: community staff hand in an expense with its receipt; street staff approve it later."""
    with transaction.atomic():
        # The project row lock orders this against 上报公示, which must see every pending expense.
        project = Project.objects.locked(project.pk)
        require_actor(by, project, Role.COMMUNITY_STAFF)
        if not project.takes_expenses:
            raise WorkflowError(
                f"项目处于“{project.get_status_display()}”步骤，只有在组织实施或支出报销步骤才能提交支出。",
                kind=WorkflowError.CONFLICT,
            )
        expense = Expense(
            project=project,
            date=date,
            payee=payee,
            payee_is_person=payee_is_person,
            amount=amount,
            purpose=purpose,
            receipt=receipt,
            submitted_by=by,
        )
        expense.full_clean()  # a ValidationError names the field to fix (receipt type, size, amount)
        if amount > project.remaining:
            raise WorkflowError(
                f"支出金额 {amount} 元超过项目剩余预算 {project.remaining} 元。", kind=WorkflowError.INVALID
            )
        expense.save()
    return expense


def _locked_submitted(expense):
    expense = (
        Expense.objects.select_for_update(of=("self",))
        .select_related("project__community")
        .get(pk=expense.pk)
    )
    if expense.status != ExpenseStatus.SUBMITTED:
        raise WorkflowError(
            f"这笔支出已经审核过（{expense.get_status_display()}），不能重复审核。",
            kind=WorkflowError.CONFLICT,
        )
    return expense


def approve_expense(*, expense, by, note=""):
    """Street staff approve: the project's spent and its fund's spent grow together, never past the budget."""
    with transaction.atomic():
        expense = _locked_submitted(expense)
        project = expense.project
        require_actor(by, project, Role.STREET_STAFF)
        fitted = Project.objects.filter(
            pk=project.pk,
            status__in=EXPENSE_STATUSES,
            spent__lte=F("budget") - expense.amount,
        ).update(spent=F("spent") + expense.amount)
        if not fitted:
            project.refresh_from_db()
            if not project.takes_expenses:
                raise WorkflowError(
                    f"项目已进入“{project.get_status_display()}”步骤，不能再审核支出。",
                    kind=WorkflowError.CONFLICT,
                )
            raise WorkflowError(
                f"通过这笔支出（{expense.amount} 元）将超出项目预算：剩余预算 {project.remaining} 元。",
                kind=WorkflowError.CONFLICT,
            )
        fund = CommunityFund.objects.get(community=project.community_id, year=project.year)
        CommunityFund.objects.filter(pk=fund.pk).update(spent=F("spent") + expense.amount)
        FundLedgerEntry.objects.create(
            fund=fund, project=project, kind=LedgerKind.EXPENSE, amount=expense.amount, by=by
        )
        _decide(expense, ExpenseStatus.APPROVED, by, note)
    return expense


def reject_expense(*, expense, by, note):
    note = (note or "").strip()
    with transaction.atomic():
        expense = _locked_submitted(expense)
        require_actor(by, expense.project, Role.STREET_STAFF)
        if not note:
            raise WorkflowError("退回支出时请填写原因，方便社区修改后重新提交。", kind=WorkflowError.INVALID)
        _decide(expense, ExpenseStatus.REJECTED, by, note)
    return expense


def _decide(expense, status, by, note):
    expense.status, expense.approved_by, expense.decided_at, expense.decision_note = (
        status,
        by,
        timezone.now(),
        note[:200],
    )
    Expense.objects.filter(pk=expense.pk).update(
        status=status, approved_by=by, decided_at=expense.decided_at, decision_note=expense.decision_note
    )
