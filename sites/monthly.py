"""Figures month by month for a year, one query per figure family, whatever the area's size.

Every app's dashboard function describes its figures as `Measure`s over one queryset (already narrowed
to an area's subtree); `monthly()` turns them into one aggregate query, grouped by the month of each
measure's dates, holding a COUNT or SUM per measure, so a community and the city cost the same number of
queries. Months are calendar months in Asia/Shanghai (settings.TIME_ZONE).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
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

    def in_year(self, start, end):
        """The rows that can count in some month of the year: the WHERE that lets an index narrow the scan."""
        if self.stock:
            return Q(**{f"{self.when}__lt": end})
        return Q(**{f"{self.when}__gte": start, f"{self.when}__lt": end})

    def aggregate(self):
        """The measure over one group of rows (all of them in the same months)."""
        if self.total is None:
            return Count("pk", filter=self.where)
        return Sum(self.total, filter=self.where)

    def counts_in(self, month, group):
        """Whether the rows of `group` ({column: month number}, see `month_number`) count in `month`."""
        if self.stock:
            until = group[f"{self.until}_month"] if self.until else LATER
            return group[f"{self.when}_month"] <= month < until
        return group[f"{self.when}_month"] == month


EARLIER, LATER = 0, 13  # the month numbers of a time before the year and of one after it (or none)


def month_number(field, bounds):
    """The month a row's `field` lies in, as a number: 1–12, EARLIER before the year, LATER after it or
    when empty (`bounds`: a year's 13 month boundaries, as `month_bounds` gives). A CASE of plain
    comparisons against the bounds, so a month is exactly [first day, first day of the next) as the
    bounds say, on any database, with no time-zone conversion per row."""
    whens = [When(**{f"{field}__lt": bound}, then=Value(index)) for index, bound in enumerate(bounds)]
    return Case(*whens, default=Value(LATER), output_field=IntegerField())


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
    """[Series] of `measures` over `queryset` for `year`: one query.

    The rows are grouped by the month each measure's dates fall in (a handful of groups), each group
    carrying every measure's COUNT or SUM; the months are then added up here. One comparison chain and
    one aggregate per measure per row, where a conditional aggregate per measure and month made a city's
    half million meetings evaluate sixty filters each."""
    shown = months_shown(year, today)
    columns, rows = {}, Q()
    for measure in measures:
        bounds = month_bounds(year, dates=measure.dates)
        rows |= measure.in_year(bounds[0], bounds[-1])
        for name in filter(None, (measure.when, measure.until)):
            columns[f"{name}_month"] = month_number(name, bounds)
    groups = []
    if shown:
        terms = {f"measure_{measure.key}": measure.aggregate() for measure in measures}
        groups = queryset.filter(rows).order_by().annotate(**columns).values(*columns).annotate(**terms)
    totals = {(measure.key, month): None for measure in measures for month in MONTHS}
    for group in groups:
        for measure in measures:
            value = group[f"measure_{measure.key}"]
            for month in MONTHS:
                if value is not None and measure.counts_in(month, group):
                    total = totals[measure.key, month]
                    totals[measure.key, month] = value if total is None else total + value
    return [
        Series(
            measure.key,
            measure.label,
            measure.doc,
            measure.unit,
            [_number(totals[measure.key, m]) if m <= shown else None for m in MONTHS],
            stock=measure.stock,
        )
        for measure in measures
    ]
