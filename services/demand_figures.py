"""Figures of the residents' demands that can't lie (办结率, 按时办结率, 满意率 …), each defined once.

Every figure is one `Figure`: its SQL (a conditional count or sum over a conditional count, as Django
expressions) and its definition, the docstring the pages print beside the number. Counts and sums add
up, so one GROUP BY (child area, category) query answers for the area, for each child area and for
each category: `summarize` adds its rows up instead of asking three times. Rules that keep them honest:

- 关闭 is never counted as 办结 unless the demand was resolved first: a demand ended by 不予受理, 重复,
  转办 or 转入需求清单 never reaches the numerator of 办结率;
- 按时办结率 counts the open demands already past their deadline in the denominator, so leaving a late
  demand open lowers the rate instead of hiding it;
- the deadline compared is the one fixed at 受理 (or at the last reopening), never the category's today.

The period is the year the demands were received in (`submitted_at`, Asia/Shanghai).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from sites.models import PATH_STEP, Area, AreaLevel
from sites.monthly import MONTHS, Series, month_number, months_shown

from .demand_models import (
    DONE_STATUSES,
    OPEN_STATUSES,
    Demand,
    DemandCategory,
    DemandStatus,
    Evaluation,
    Rating,
)
from .working_days import LOCAL


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    doc: str
    unit: str  # "%": numerator / denominator in per cent; otherwise the quotient (个工作日) or the count (件)
    numerator: object
    denominator: object = None

    def value(self, row):
        top = row[f"{self.key}_n"]
        if self.denominator is None:
            return round(float(top), 1) if top is not None else None
        bottom = row[f"{self.key}_d"]
        scale = 100 if self.unit == "%" else 1
        return round(float(top) * scale / bottom, 1) if bottom else None


def _count(condition=None):
    return Count("pk", filter=condition) if condition is not None else Count("pk")


DONE = Q(status__in=DONE_STATUSES)


def demand_figures(now):
    """The figures over demands, as of `now` (what is overdue)."""
    overdue_open = Q(status__in=OPEN_STATUSES, deadline__lt=now)
    return [
        Figure(
            "received",
            "受理量",
            "期间内收到的诉求件数：居民反映与工作人员代为登记的全部诉求，含后来不予受理、"
            "重复、转办或转入需求清单的。",
            "件",
            _count(),
        ),  # fmt: skip
        Figure(
            "resolved_rate",
            "办结率",
            "（已办结 + 已关闭）÷（受理量 − 重复 − 不予受理）。已关闭只在先办结后才有；转办、转入需求清单的"
            "留在分母、不进分子：没办的不算办结。",
            "%",
            _count(DONE),
            _count() - _count(Q(status__in=[DemandStatus.DUPLICATE, DemandStatus.REJECTED])),
        ),  # fmt: skip
        Figure(
            "on_time_rate",
            "按时办结率",
            "在办结期限（受理时按工作日算定，重新办理时重算）之前办结的 ÷（已办结 + 未办结且已超过期限的）。"
            "超期仍未办的计入分母。",
            "%",
            _count(DONE & Q(resolved_at__lte=F("deadline"))),
            _count(DONE) + _count(overdue_open),
        ),  # fmt: skip
        Figure(
            "working_days",
            "平均办理工作日",
            "已办结诉求从受理到（最近一次）办结所用的工作日数的平均，节假日不计、调休上班日计入。",
            "个工作日",
            # an average as its sum over its count (the rows AVG would read), so that it adds up
            Sum("working_days_taken", filter=DONE),
            Count("working_days_taken", filter=DONE),
        ),  # fmt: skip
        Figure(
            "reopen_rate",
            "重新办理率",
            "被要求重新办理过（评价不满意或 7 天内申请）的诉求 ÷ 办结过至少一次的诉求。",
            "%",
            _count(Q(reopen_count__gt=0)),
            _count(DONE | Q(reopen_count__gt=0)),
        ),  # fmt: skip
    ]


SATISFACTION = Figure(
    "satisfaction", "满意率",
    "评价为“满意”或“基本满意”的次数 ÷ 评价总次数；每次办结居民可评价一次，重新办理后的评价另计。",
    "%", Count("pk", filter=Q(rating__in=[Rating.SATISFIED, Rating.FAIRLY_SATISFIED])), Count("pk"),
)  # fmt: skip


def year_span(year):
    start = dt.datetime(year, 1, 1, tzinfo=LOCAL)
    return start, start.replace(year=year + 1)


@dataclass
class Row:
    name: str
    values: dict  # figure key → value (None when its denominator is 0)


def _terms(figures):
    terms = {}
    for figure in figures:
        terms[f"{figure.key}_n"] = figure.numerator
        if figure.denominator is not None:
            terms[f"{figure.key}_d"] = figure.denominator
    return terms


def _aggregate(queryset, figures, group):
    """One GROUP BY query: each figure's numerator and denominator per `group` (None: one total row)."""
    terms = _terms(figures)
    if group is None:
        return {None: queryset.aggregate(**terms)}
    rows = queryset.order_by().annotate(group=group).values("group").annotate(**terms)
    return {row["group"]: row for row in rows}


def _by_child_and_category(queryset, figures, child, category):
    """One GROUP BY query: each figure's numerator and denominator per (child area, category)."""
    terms = _terms(figures)
    rows = queryset.order_by().annotate(by_child=child, by_category=category)
    rows = rows.values("by_child", "by_category").annotate(**terms)
    return {(row["by_child"], row["by_category"]): row for row in rows}


def _added(rows, figures, key):
    """`rows` ({(child, category): terms}) added up per `key((child, category))`; every term is a count
    or a sum (None for a sum over no row, which adds as 0: its count is 0 too)."""
    names = list(_terms(figures))
    totals = {}
    for parts, row in rows.items():
        total = totals.setdefault(key(parts), dict.fromkeys(names, 0))
        for name in names:
            total[name] += row[name] or 0
    return totals


def _scope(area, year):
    """The demands received in `area` during `year`, and their evaluations."""
    start, end = year_span(year)
    demands = Demand.objects.within(area).filter(submitted_at__gte=start, submitted_at__lt=end)
    evaluations = Evaluation.objects.filter(
        demand__community__path__startswith=area.path,
        demand__submitted_at__gte=start,
        demand__submitted_at__lt=end,
    )
    return demands, evaluations


def _rows(by_demands, by_evaluations, names, figures):
    return [
        Row(
            names.get(key, "未指定网格" if key is None else str(key)),
            {
                **{f.key: f.value(values) for f in figures},
                SATISFACTION.key: SATISFACTION.value(by_evaluations[key]) if key in by_evaluations else None,
            },
        )
        for key, values in sorted(by_demands.items(), key=lambda item: names.get(item[0], "~"))
    ]


def headline(area, year, *, now=None):
    """The area's own row of figures for `year` (what a dashboard shows): two queries."""
    demands, evaluations = _scope(area, year)
    figures = demand_figures(now or timezone.now())
    by_demands = _aggregate(demands, figures, None)
    return _rows(by_demands, _aggregate(evaluations, [SATISFACTION], None), {None: area.name}, figures)[0]


# What the community, street and district dashboards show, each with its definition beside it.
DASHBOARD_KEYS = ("resolved_rate", "on_time_rate", "satisfaction")


def dashboard_figures(area, year, *, now=None):
    """[(Figure, value)] of DASHBOARD_KEYS for `area` and `year` (value None: nothing to divide by)."""
    row = headline(area, year, now=now)
    figures = {f.key: f for f in [*demand_figures(now or timezone.now()), SATISFACTION]}
    return [(figures[key], row.values[key]) for key in DASHBOARD_KEYS]


def demand_summary(area, year, *, now=None):
    """Month by month (of `submitted_at`, Asia/Shanghai) for `area` and `year`: a Row per month that
    received demands, named "1月" …, in two queries; each figure as defined above."""
    demands, evaluations = _scope(area, year)
    figures = demand_figures(now or timezone.now())
    by_demands = _aggregate(demands, figures, TruncMonth("submitted_at", tzinfo=LOCAL))
    by_evaluations = _aggregate(evaluations, [SATISFACTION], TruncMonth("demand__submitted_at", tzinfo=LOCAL))
    names = {month: f"{month.month}月" for month in by_demands}
    return sorted(_rows(by_demands, by_evaluations, names, figures), key=lambda row: int(row.name[:-1]))


def summarize(area, year, *, now=None):
    """The figures of `area` for `year`: its total, each child area (district → streets, street →
    communities, community → grids), each category. Four queries, whatever the area's size: the child
    areas' names, the categories', one GROUP BY (child, category) over the demands and one over their
    evaluations, added up into the three tables."""
    now = now or timezone.now()
    demands, evaluations = _scope(area, year)
    figures = demand_figures(now)
    if area.level == AreaLevel.COMMUNITY:
        child, child_e = F("grid_id"), F("demand__grid_id")
        name_of = {a.pk: a.name for a in Area.objects.filter(parent=area)}
    else:
        prefix = len(area.path) + PATH_STEP
        child = Substr("community__path", 1, prefix)
        child_e = Substr("demand__community__path", 1, prefix)
        name_of = {a.path: a.name for a in Area.objects.filter(parent=area)}
    categories = {c.pk: c.name for c in DemandCategory.objects.all()}
    by_demands = _by_child_and_category(demands, figures, child, F("category_id"))
    by_evaluations = _by_child_and_category(evaluations, [SATISFACTION], child_e, F("demand__category_id"))

    def rows(key, names):
        added = _added(by_demands, figures, key)
        return _rows(added, _added(by_evaluations, [SATISFACTION], key), names, figures)

    total = rows(lambda parts: None, {None: area.name}) or _rows(
        {None: dict.fromkeys(_terms(figures), 0)}, {}, {None: area.name}, figures
    )
    return {
        "total": total[0],
        "children": rows(lambda parts: parts[0], name_of),
        "categories": rows(lambda parts: parts[1], categories),
        "figures": [*figures, SATISFACTION],
    }


# The area dashboard's figures: these definitions, month by month (the month the demand was received).
MONTHLY_KEYS = ("received", "resolved_rate", "on_time_rate")


def demand_months(area, year, *, now=None):
    """[Series] 受理量, 办结率, 按时办结率, 满意率 of `area`'s subtree for each month of `year` (the month a
    demand was received, Asia/Shanghai): one GROUP BY over the demands, one over their evaluations."""
    now = now or timezone.now()
    start, end = year_span(year)
    # The month as a number from comparisons with the months' first moments (sites.monthly): a time-zone
    # conversion and date_trunc per demand cost a city's year of them more than the scan itself.
    bounds = [start.replace(month=m) for m in MONTHS] + [end]
    demands = Demand.objects.within(area).filter(submitted_at__gte=start, submitted_at__lt=end)
    evaluations = Evaluation.objects.filter(
        demand__community__path__startswith=area.path,
        demand__submitted_at__gte=start,
        demand__submitted_at__lt=end,
    )
    figures = [f for f in demand_figures(now) if f.key in MONTHLY_KEYS]
    by_month = _aggregate(demands, figures, month_number("submitted_at", bounds))
    rated = _aggregate(evaluations, [SATISFACTION], month_number("demand__submitted_at", bounds))
    shown = months_shown(year, timezone.localtime(now, LOCAL).date())

    def series(figure, rows):
        if figure.denominator is None:  # a count: a month without demands received none
            values = [rows[m][f"{figure.key}_n"] if m in rows else 0 for m in MONTHS]
        else:
            values = [figure.value(rows[m]) if m in rows else None for m in MONTHS]
        values = [v if m <= shown else None for m, v in zip(MONTHS, values, strict=True)]
        # The year's rate from the months' numerators and denominators added up, not an average of rates.
        overall = None
        if figure.denominator is not None:
            parts = (f"{figure.key}_n", f"{figure.key}_d")
            overall = figure.value({k: sum(row[k] or 0 for row in rows.values()) for k in parts})
        return Series(figure.key, figure.label, figure.doc, figure.unit, values, overall=overall)

    return [*(series(f, by_month) for f in figures), series(SATISFACTION, rated)]
