"""The money's counters recomputed from the fund ledger, for `manage.py reconcile` (sites/reconcile.py).

The ledger is the source of truth (projects/funds.py writes a row with every move):

- a fund's committed = its 核拨 (commit) rows − its 结余退回 (release) rows;
- a fund's spent = its 支出 (expense) rows;
- a project's spent = its 支出 rows;
- and, for projects that have expense records, the approved ones add up to the same 支出 rows (the
  city-scale demo and imported history have ledger rows without individual expenses, so a project
  with none is checked against the ledger alone).

Each check is one GROUP BY query (two for the expenses), whatever the number of projects.
"""

from decimal import Decimal

from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Abs, Coalesce

from sites.reconcile import Difference, register

from .models import CommunityFund, Expense, ExpenseStatus, FundLedgerEntry, LedgerKind, Project

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
CENT = Decimal("0.01")
# SQLite sums decimals as floating point: 0.1 + 0.2 is not 0.3 there. Money has two places, so any
# real difference is at least a cent; half a cent tells the two apart on both databases.
HALF_CENT = Decimal("0.005")


def _ledger_sum(path, kind):
    return Coalesce(Sum(f"{path}amount", filter=Q(**{f"{path}kind": kind})), ZERO)


def _money(value):
    return Decimal(value).quantize(CENT)


def _fund_label(fund):
    return f"{fund.community.name} {fund.year}年专项经费（#{fund.pk}）"


def _project_label(project):
    return f"项目“{project.title}”（{project.community.name} {project.year}年，#{project.pk}）"


@register("projects.fund_counters", label="为民服务专项经费：已核拨、已支出")
def fund_counters():
    funds = (
        CommunityFund.objects.select_related("community")
        .annotate(
            computed_committed=_ledger_sum("ledger__", LedgerKind.COMMIT)
            - _ledger_sum("ledger__", LedgerKind.RELEASE),
            computed_spent=_ledger_sum("ledger__", LedgerKind.EXPENSE),
        )
        .annotate(
            committed_gap=Abs(F("committed") - F("computed_committed")),
            spent_gap=Abs(F("spent") - F("computed_spent")),
        )
        .filter(Q(committed_gap__gte=HALF_CENT) | Q(spent_gap__gte=HALF_CENT))
        .order_by("community__path", "year")
    )
    for fund in funds:
        for counter, stored, computed in [
            ("已核拨", fund.committed, fund.computed_committed),
            ("已支出", fund.spent, fund.computed_spent),
        ]:
            if abs(stored - _money(computed)) >= HALF_CENT:
                yield Difference(_fund_label(fund), counter, _money(stored), _money(computed))


@register("projects.project_spent", label="为民服务项目：已支出")
def project_spent():
    projects = (
        Project.objects.select_related("community")
        .annotate(computed_spent=_ledger_sum("ledger__", LedgerKind.EXPENSE))
        .annotate(gap=Abs(F("spent") - F("computed_spent")))
        .filter(gap__gte=HALF_CENT)
        .order_by("community__path", "year", "pk")
    )
    for project in projects:
        yield Difference(
            _project_label(project), "已支出", _money(project.spent), _money(project.computed_spent)
        )


@register("projects.approved_expenses", label="为民服务项目：已通过的支出报销与经费流水")
def approved_expenses():
    def per_project(queryset):
        return {
            row["project"]: _money(row["total"])
            for row in queryset.values("project").annotate(total=Sum("amount")).order_by()
        }

    with_expenses = Expense.objects.values("project")
    approved = per_project(Expense.objects.filter(status=ExpenseStatus.APPROVED))
    ledger = per_project(FundLedgerEntry.objects.filter(kind=LedgerKind.EXPENSE, project__in=with_expenses))
    zero = Decimal("0.00")
    differing = {
        pk: (approved.get(pk, zero), ledger.get(pk, zero))
        for pk in approved.keys() | ledger.keys()
        if abs(approved.get(pk, zero) - ledger.get(pk, zero)) >= HALF_CENT
    }
    if not differing:
        return
    projects = Project.objects.filter(pk__in=differing).select_related("community").order_by("pk")
    for project in projects:
        approved_total, ledger_total = differing[project.pk]
        yield Difference(_project_label(project), "经费流水中的支出", ledger_total, approved_total)
