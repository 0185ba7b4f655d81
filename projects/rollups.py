"""Dashboard figures for an area and a year: a handful of GROUP BY queries, whatever the area's size.

Each roll-up groups on the prefix of the community's materialized path that names the child area
(the city's districts, a district's towns, a town's communities), so one query answers for every child;
nothing here loops over communities. A community-year without a fund row still has the default fund.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, Substr

from sites.models import PATH_STEP, Area, AreaLevel

from .models import Category, CommunityFund, Project, Status

ZERO = Decimal("0.00")
NOT_STARTED_SHOWN = 50


def percent(part, whole):
    return round(float(part) * 100 / float(whole), 1) if whole else 0.0


@dataclass
class Figures:
    """Money and counts for one area (or one child of it)."""

    communities: int = 0
    not_started: int = 0
    funds: int = 0
    fund_amount: Decimal = ZERO  # of the funds that exist as rows
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    projects: int = 0
    budget: Decimal = ZERO
    expected_beneficiaries: int = 0
    actual_beneficiaries: int = 0

    @property
    def fund_total(self):
        """Every community has a fund, whether or not its row has been created yet."""
        return self.fund_amount + (self.communities - self.funds) * settings.COMMUNITY_FUND_DEFAULT

    @property
    def committed_percent(self):
        return percent(self.committed, self.fund_total)

    @property
    def spent_percent(self):
        return percent(self.spent, self.fund_total)

    @property
    def started(self):
        return self.communities - self.not_started


@dataclass
class Summary:
    area: Area
    year: int
    total: Figures
    children: list = field(default_factory=list)  # (child area, Figures)
    by_category: list = field(default_factory=list)  # (label, count, budget)
    by_status: list = field(default_factory=list)  # (label, count)
    not_started: list = field(default_factory=list)  # the first communities, with their parents

    def chart_data(self):
        """What dashboard.js draws, passed through json_script."""
        return {
            "category": {
                "labels": [c[0] for c in self.by_category],
                "counts": [c[1] for c in self.by_category],
            },
            "status": {"labels": [s[0] for s in self.by_status], "counts": [s[1] for s in self.by_status]},
            "children": {
                "labels": [a.name for a, _ in self.children],
                "committed": [float(f.committed) for _, f in self.children],
                "spent": [float(f.spent) for _, f in self.children],
                "total": [float(f.fund_total) for _, f in self.children],
            },
        }


def _no_project(year):
    return ~Exists(Project.objects.filter(community=OuterRef("pk"), year=year))


def summarize(area, year):
    """The dashboard of `area` for `year` in a constant number of queries (five)."""
    child_len = len(area.path) + PATH_STEP
    has_children = area.level not in (AreaLevel.COMMUNITY, AreaLevel.GRID)
    prefix = Substr("community__path", 1, child_len)
    rows = {}

    def figures(key):
        return rows.setdefault(key, Figures())

    communities = (
        Area.objects.within(area)
        .filter(level=AreaLevel.COMMUNITY)
        .annotate(prefix=Substr("path", 1, child_len))
        .values("prefix")
        .annotate(n=Count("pk"), idle=Count("pk", filter=Q(_no_project(year))))
    )
    for row in communities:
        f = figures(row["prefix"])
        f.communities, f.not_started = row["n"], row["idle"]

    funds = (
        CommunityFund.objects.within(area)
        .filter(year=year)
        .annotate(prefix=prefix)
        .values("prefix")
        .annotate(n=Count("pk"), amount=Sum("amount"), committed=Sum("committed"), spent=Sum("spent"))
    )
    for row in funds:
        f = figures(row["prefix"])
        f.funds, f.fund_amount, f.committed, f.spent = row["n"], row["amount"], row["committed"], row["spent"]

    # One pass over the projects answers both the per-child figures and the category/step counts.
    grouped = (
        Project.objects.within(area)
        .filter(year=year)
        .annotate(prefix=prefix)
        .values("prefix", "category", "status")
        .annotate(
            n=Count("pk"),
            budget=Sum("budget"),
            expected=Coalesce(Sum("expected_beneficiaries"), 0),
            actual=Coalesce(Sum("actual_beneficiaries"), 0),
        )
    )
    by_category = {value: [0, ZERO] for value in Category.values}
    by_status = dict.fromkeys(Status.values, 0)
    for row in grouped:
        f = figures(row["prefix"])
        f.projects += row["n"]
        f.budget += row["budget"]
        f.expected_beneficiaries += row["expected"]
        f.actual_beneficiaries += row["actual"]
        by_category[row["category"]][0] += row["n"]
        by_category[row["category"]][1] += row["budget"]
        by_status[row["status"]] += row["n"]

    total = Figures()
    for f in rows.values():
        for name in Figures.__dataclass_fields__:
            setattr(total, name, getattr(total, name) + getattr(f, name))

    summary = Summary(area=area, year=year, total=total)
    if has_children:
        summary.children = [
            (child, rows.get(child.path, Figures())) for child in area.children.order_by("path")
        ]

    summary.by_category = [(label, *by_category[value]) for value, label in Category.choices]
    summary.by_status = [(label, by_status[value]) for value, label in Status.choices]
    summary.not_started = list(
        Area.objects.within(area)
        .filter(_no_project(year), level=AreaLevel.COMMUNITY)
        .select_related("parent__parent")
        .order_by("path")[:NOT_STARTED_SHOWN]
    )
    return summary
