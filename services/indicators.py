"""The co-building units' yearly indicators, computed from their records at query time for any year.

`for_units(units, year)` answers for any number of units in two queries: one for the indicators with
the year's N, one for the units, each annotated with one count per `Measure` (correlated subqueries), so
a street's page and the city's 173 units cost the same. The counts, for the year in Asia/Shanghai:

- 到社区上党课 (`lectures`): meetings of kind 党课 that were held (held or recorded), whose 授课单位
  (`given_by`) is the unit and whose host organisation lies in the unit's street: the street of its
  挂包联系 agreement for that year, else the street it is paired with now. A 党课 is a `Meeting` (三会一课)
  rather than an `Activity` of kind 讲座, because that is the record that names who gave it;
- 挂钩联系生活困难群众 (`hardship_households`): the unit's `HardshipLink`s that ran on some day of the year;
- 认领服务项目 (`claimed_projects`): the unit's claims made that year that the community accepted (in
  progress, completed or evaluated), either way (a need it claimed, or its resource a community claimed).

A unit has met an indicator when the count reaches N, is behind when it has some but fewer, and has
not started when it has none.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Count, F, FilteredRelation, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from members.models import Meeting, MeetingKind, Organization
from members.models.meetings import HELD_STATUSES

from .indicator_models import CobuildingAgreement, HardshipLink, Indicator, IndicatorTarget, Measure
from .list_models import Claim, ClaimStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
ACCEPTED_CLAIM_STATUSES = [ClaimStatus.IN_PROGRESS, ClaimStatus.COMPLETED, ClaimStatus.EVALUATED]


class State(models.TextChoices):
    MET = "met", "已完成"
    BEHIND = "behind", "未达标"
    NOT_STARTED = "not_started", "未开展"


@dataclass(frozen=True)
class Result:
    indicator: Indicator
    target: int
    count: int

    @property
    def state(self):
        if self.count >= self.target:
            return State.MET
        return State.BEHIND if self.count else State.NOT_STARTED

    @property
    def state_label(self):
        return self.state.label


@dataclass(frozen=True)
class UnitIndicators:
    unit: Organization
    street_name: str
    signed_on: dt.date | None
    results: list

    @property
    def all_met(self):
        return all(r.state == State.MET for r in self.results)


def year_span(year):
    """[1 January, next 1 January) of `year` in Asia/Shanghai, as aware datetimes."""
    return dt.datetime(year, 1, 1, tzinfo=SHANGHAI), dt.datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


def _count(queryset, unit_field):
    """The rows of `queryset` for the outer unit, counted in a correlated subquery (0 when none)."""
    counted = (
        queryset.filter(**{unit_field: OuterRef("pk")})
        .order_by()
        .values(unit_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _counts(year):
    start, end = year_span(year)
    return {
        Measure.LECTURES: _count(
            Meeting.objects.filter(
                kind=MeetingKind.PARTY_LECTURE,
                status__in=HELD_STATUSES,
                start__gte=start,
                start__lt=end,
                organization__area__path__startswith=OuterRef("street_path"),
            ),
            "given_by",
        ),
        Measure.HARDSHIP_HOUSEHOLDS: _count(HardshipLink.objects.active_in(year), "organization"),
        Measure.CLAIMED_PROJECTS: _count(
            Claim.objects.filter(
                status__in=ACCEPTED_CLAIM_STATUSES, created_at__gte=start, created_at__lt=end
            ),
            "organization",
        ),
    }


def indicators_for(year):
    """The active indicators, each with `target`: the year's own N, else the default."""
    year_target = IndicatorTarget.objects.filter(indicator=OuterRef("pk"), year=year).values("at_least")[:1]
    return Indicator.objects.filter(active=True).annotate(
        target=Coalesce(Subquery(year_target), F("at_least"))
    )


def units_in(area, year):
    """The co-building units of `area`'s streets for `year`: paired with one now, or bound by that year's
    agreement (a unit paired elsewhere since still answers for the year it signed)."""
    agreed = CobuildingAgreement.objects.filter(year=year, street__path__startswith=area.path)
    # cobuilding() first: the planner then expects hundreds of rows, not tens of thousands of the
    # organisations' table, and stays below PostgreSQL's JIT threshold (compiling cost seconds).
    return Organization.objects.cobuilding().filter(
        Q(paired_street__path__startswith=area.path) | Q(pk__in=agreed.values("organization"))
    )


def annotated(units, year):
    """`units` with the year's street (agreement's, else paired), its name, the signing date and one
    `n_<measure>` count per measure: one query for any number of units. The agreement is a LEFT JOIN
    (one per unit and year, a unique constraint), not a subquery per column."""
    return (
        units.annotate(agreement=FilteredRelation("agreements", condition=Q(agreements__year=year)))
        .annotate(
            street_id=Coalesce(F("agreement__street_id"), F("paired_street_id")),
            street_path=Coalesce(F("agreement__street__path"), F("paired_street__path")),
            street_name=Coalesce(F("agreement__street__name"), F("paired_street__name")),
            signed_on=F("agreement__signed_on"),
        )
        .annotate(**{f"n_{measure}": count for measure, count in _counts(year).items()})
    )


def for_units(units, year, indicators=None):
    """Every unit of the queryset `units` with each active indicator's result for `year`: two queries, or
    one when the caller already holds `indicators_for(year)`."""
    indicators = list(indicators_for(year)) if indicators is None else indicators
    rows = annotated(units, year).order_by("street_path", "name")
    return [
        UnitIndicators(
            unit=unit,
            street_name=unit.street_name or "",
            signed_on=unit.signed_on,
            results=[
                Result(indicator=i, target=i.target, count=getattr(unit, f"n_{i.measure}"))
                for i in indicators
            ],
        )
        for unit in rows
    ]


@dataclass
class StreetSummary:
    """A street's units, and per indicator how many met it, are behind, have not started."""

    street_id: int
    street_name: str
    units: int
    tallies: list  # per indicator: {"indicator": it, "met": n, "behind": n, "not_started": n}


def by_street(rows, indicators):
    """`for_units` rows folded into one summary per street, in street order (no query)."""
    streets = {}
    for row in rows:
        summary = streets.get(row.unit.street_path)
        if summary is None:
            summary = streets[row.unit.street_path] = StreetSummary(
                street_id=row.unit.street_id,
                street_name=row.street_name,
                units=0,
                tallies=[{"indicator": i, **dict.fromkeys(State.values, 0)} for i in indicators],
            )
        summary.units += 1
        for tally, result in zip(summary.tallies, row.results, strict=True):
            tally[result.state] += 1
    return list(streets.values())
