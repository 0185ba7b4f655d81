"""Figures month by month for a year, one query per figure family, whatever the area's size.

Every app's dashboard function describes its figures as `Measure`s over one queryset (already narrowed
to an area's subtree); `monthly()` turns them into one aggregate query holding a conditional COUNT or
SUM per measure and month (12 × measures columns, one row), so a community and the city cost the same
number of queries. Months are calendar months in Asia/Shanghai (settings.TIME_ZONE).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

MONTHS = range(1, 13)


def month_bounds(year, *, dates=False):
    """The 13 boundaries of `year`'s months: 1 January … 1 January next year, as dates or as aware
    datetimes at local midnight."""
    days = [dt.date(year, m, 1) for m in MONTHS] + [dt.date(year + 1, 1, 1)]
    if dates:
        return days
    tz = timezone.get_current_timezone()
    return [timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz) for day in days]


def months_shown(year, today=None):
    """How many months of `year` have begun (0 for a year ahead, 12 for a past one): later months show
    "—", not a 0 that reads like a month nobody worked."""
    today = today or timezone.localdate()
    if year < today.year:
        return 12
    return today.month if year == today.year else 0


@dataclass(frozen=True)
class Measure:
    """One monthly figure: COUNT(rows) or SUM(`total`) of the rows whose `when` lies in the month and that
    match `where`. With `until`, a stock instead: the rows whose `when` (a start date) is on or before the
    month's last day and whose `until` is empty or after it (e.g. reportings in force at the month's end)."""

    key: str
    label: str
    doc: str
    unit: str
    when: str
    where: Q | None = None
    total: object = None  # a field or expression to SUM; None counts rows
    dates: bool = False  # `when` (and `until`) are DateFields
    until: str | None = None
    stock: bool = False

    def condition(self, start, end):
        if self.stock:
            condition = Q(**{f"{self.when}__lt": end})
            if self.until:
                condition &= Q(**{f"{self.until}__isnull": True}) | Q(**{f"{self.until}__gte": end})
        else:
            condition = Q(**{f"{self.when}__gte": start, f"{self.when}__lt": end})
        if self.where is not None:
            condition &= self.where
        return condition

    def in_year(self, start, end):
        """The rows that can count in some month of the year: the WHERE that lets an index narrow the scan."""
        if self.stock:
            return Q(**{f"{self.when}__lt": end})
        return Q(**{f"{self.when}__gte": start, f"{self.when}__lt": end})

    def aggregate(self, start, end):
        condition = self.condition(start, end)
        if self.total is None:
            return Count("pk", filter=condition)
        return Sum(self.total, filter=condition)


@dataclass
class Series:
    """A figure's value for each month shown (None for months not begun), with its definition."""

    key: str
    label: str
    doc: str
    unit: str
    values: list
    stock: bool = False
    overall: object = None  # the year's figure when it is not the months' sum (a rate)

    @property
    def rate(self):
        return self.unit == "%"

    @property
    def total(self):
        """The year's figure: the sum of the months, for a stock its latest month's value, for a rate
        the one its definition gives over the whole year (`overall`)."""
        if self.rate:
            return self.overall
        shown = [v for v in self.values if v is not None]
        if not shown:
            return None
        return shown[-1] if self.stock else sum(shown)

    def shown(self, value):
        """`value` as the tables print it: 元 with fen, rates and hours with one decimal, counts grouped."""
        if value is None:
            return "—"
        if self.unit == "元":
            return f"{value:,.2f}"
        if isinstance(value, float) or self.rate:
            return f"{value:,.1f}"
        return f"{value:,}"

    @property
    def shown_values(self):
        return [self.shown(v) for v in self.values]

    @property
    def shown_total(self):
        return self.shown(self.total)


def _number(value):
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds() / 3600, 1)  # durations are shown in hours
    return value or 0


def monthly(queryset, year, measures, *, today=None):
    """[Series] of `measures` over `queryset` for `year`: one query."""
    shown = months_shown(year, today)
    terms, rows = {}, Q()
    for measure in measures:
        bounds = month_bounds(year, dates=measure.dates)
        rows |= measure.in_year(bounds[0], bounds[-1])
        for index, month in enumerate(MONTHS):
            terms[f"{measure.key}_{month}"] = measure.aggregate(bounds[index], bounds[index + 1])
    row = queryset.filter(rows).order_by().aggregate(**terms) if shown else {}
    return [
        Series(
            measure.key,
            measure.label,
            measure.doc,
            measure.unit,
            [_number(row[f"{measure.key}_{m}"]) if m <= shown else None for m in MONTHS],
            stock=measure.stock,
        )
        for measure in measures
    ]
