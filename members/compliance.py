"""Whether organisations keep 三会一课 (met / behind / due soon), and a member's attendance rate: computed
from the meetings at query time for any year, never stored.

Definitions (shown beside the figures on the pages):

- a rule (members.ComplianceRule) asks an organisation kind to hold a meeting kind once per period
  (month, quarter, half year, year); the year's rows replace the standing ones for that year;
- a period is **met** when at least one meeting of the kind was held in it (status held or recorded,
  its start in the period in Asia/Shanghai);
- an organisation is **behind** on a rule when a period of the year that has ended (as of `today`) was
  not met; **due soon** when it is not behind, the current period is not met yet and ends within
  DUE_SOON_DAYS; **met** otherwise;
- a member's **attendance rate** = meetings they attended (出席) ÷ meetings of theirs that were held and
  have attendance for them (出席 + 请假 + 缺席), over the meetings' start dates in the range.
"""

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import BitOr
from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from sites.monthly import Measure, month_bounds, monthly

from .models import (
    HELD_STATUSES,
    Attendance,
    AttendanceStatus,
    CommitteeTerm,
    ComplianceRule,
    Meeting,
    MeetingKind,
    Organization,
)
from .models.meetings import MONTHS_PER_PERIOD, TERM_DUE_SOON_DAYS, Frequency

DUE_SOON_DAYS = 10
NONE_HELD = (0, 0)  # (month mask, meetings) of a kind never held in the year
MEETING_KINDS = tuple(MeetingKind.values)

MET, BEHIND, DUE_SOON = "met", "behind", "due_soon"
STATE_LABELS = {MET: "已落实", BEHIND: "未按期召开", DUE_SOON: "本期待召开"}
STATE_CHOICES = list(STATE_LABELS.items())
# An organisation's state is its worst rule's.
SEVERITY = {MET: 0, DUE_SOON: 1, BEHIND: 2}


def rules_for(year):
    """{organization_kind: {meeting_kind: frequency}} in force in `year` (one query)."""
    standing, of_year = {}, {}
    for rule in ComplianceRule.objects.filter(Q(year__isnull=True) | Q(year=year)):
        target = of_year if rule.year else standing
        target[(rule.organization_kind, rule.meeting_kind)] = rule.frequency if rule.required else None
    merged = {**standing, **of_year}
    rules = {}
    for (org_kind, meeting_kind), frequency in merged.items():
        if frequency:
            rules.setdefault(org_kind, {})[meeting_kind] = frequency
    return {
        kind: dict(sorted(r.items(), key=lambda i: MeetingKind.values.index(i[0])))
        for kind, r in rules.items()
    }


@functools.cache
def periods(year, frequency):
    """((first day, day after the last, label), …) of `year` for `frequency` (cached: a district's list
    asks for the same few thousands of times)."""
    step = MONTHS_PER_PERIOD[frequency]
    result = []
    for index, month in enumerate(range(1, 13, step)):
        start = dt.date(year, month, 1)
        end = dt.date(year + 1, 1, 1) if month + step > 12 else dt.date(year, month + step, 1)
        label = {
            Frequency.MONTHLY: f"{month} 月",
            Frequency.QUARTERLY: f"第 {index + 1} 季度",
            Frequency.HALF_YEARLY: "上半年" if index == 0 else "下半年",
            Frequency.YEARLY: f"{year} 年",
        }[frequency]
        result.append((start, end, label))
    return tuple(result)


@dataclass
class RuleResult:
    meeting_kind: str
    frequency: str
    state: str
    held: int  # meetings of the kind held in the year so far
    missed: list = field(default_factory=list)  # labels of ended periods with none

    @property
    def meeting_label(self):
        return MeetingKind(self.meeting_kind).label

    @property
    def frequency_label(self):
        return Frequency(self.frequency).label

    @property
    def state_label(self):
        return STATE_LABELS[self.state]


@dataclass
class OrganizationResult:
    organization: object
    rules: list

    @property
    def state(self):
        return max((r.state for r in self.rules), key=SEVERITY.get, default=MET)

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def behind(self):
        return [r for r in self.rules if r.state == BEHIND]

    @property
    def due_soon(self):
        return [r for r in self.rules if r.state == DUE_SOON]


def _month_bit(year):
    """2^(month − 1) of a meeting's start month of `year` in Asia/Shanghai: summing the distinct ones per
    organisation and kind gives a 12-bit mask of the months it met in. A CASE of comparisons against the
    months' first moments: no time-zone conversion and power() per meeting (a district's 56,000 meetings
    spent most of the query's time there)."""
    bounds = month_bounds(year)[1:]
    whens = [When(start__lt=bound, then=Value(1 << index)) for index, bound in enumerate(bounds)]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _mask_of(kind, year):
    """The months mask of one meeting kind as an aggregate: PostgreSQL's bit_or (hashed, one pass);
    elsewhere (SQLite, in development) the sum of the distinct bits, which needs a sort per group."""
    if connection.vendor == "postgresql":
        return BitOr(_month_bit(year), filter=Q(kind=kind))
    return Sum(_month_bit(year), filter=Q(kind=kind), distinct=True)


def held_months(organizations, year):
    """{organization_id: {meeting kind: (month mask, meetings)}} of the meetings held in `year`: one
    query over the (organization, kind, start) index, grouped by organisation in the database, so a
    district's thousands of organisations come back as one row each rather than one per month and kind."""
    start, end = month_bounds(year)[0], month_bounds(year)[-1]
    columns = {}
    for kind in MEETING_KINDS:
        columns[f"{kind}_mask"] = _mask_of(kind, year)
        columns[f"{kind}_n"] = Count("kind", filter=Q(kind=kind))  # a column the index holds
    rows = (
        Meeting.objects.filter(
            organization__in=organizations, status__in=HELD_STATUSES, start__gte=start, start__lt=end
        )
        .values("organization_id")
        .annotate(**columns)
        .order_by()
    )
    return {
        row["organization_id"]: {
            kind: (row[f"{kind}_mask"], row[f"{kind}_n"]) for kind in MEETING_KINDS if row[f"{kind}_n"]
        }
        for row in rows
    }


def _met_in(mask, start, end):
    """Whether the month mask has a month in [start, end) (first days of months of one year)."""
    span = (end.year - start.year) * 12 + end.month - start.month
    return bool(mask & ((1 << span) - 1) << (start.month - 1))


def judge(frequency, held, year, today):
    """One rule's RuleResult fields (state, held, missed) from its (month mask, meetings) in `year`."""
    mask, count = held
    state, missed = _judge_mask(frequency, mask, year, today)
    return state, count, list(missed)


@functools.lru_cache(maxsize=4096)
def _judge_mask(frequency, mask, year, today):
    """(state, missed labels) of a rule from the months met in: most organisations share a handful of
    masks, so a district's thousands of rules are judged a few dozen times."""
    state, missed = MET, []
    for start, end, label in periods(year, frequency):
        met = _met_in(mask, start, end)
        if end <= today and not met:
            missed.append(label)
        elif start <= today < end and not met and (end - today).days <= DUE_SOON_DAYS:
            state = DUE_SOON
    if missed:
        state = BEHIND
    return state, tuple(missed)


def evaluate(organizations, *, year, today=None):
    """[OrganizationResult] for each organisation (a list or queryset of Organization), as of `today`
    (Asia/Shanghai; default now). Three queries in all: the rules, the organisations, the meetings."""
    return evaluate_with(rules_for(year), organizations, year=year, today=today or timezone.localdate())


def evaluate_with(rules, organizations, *, year, today):
    # A queryset goes to the meetings' query as a subquery: a city's 35,000 ids would pass SQLite's limit
    # of parameters in one statement.
    ids = organizations.values("pk") if isinstance(organizations, QuerySet) else [o.pk for o in organizations]
    organizations = list(organizations)
    held = held_months(ids, year) if organizations else {}
    return [
        OrganizationResult(o, _rule_results(rules, o.kind, held.get(o.pk, {}), year, today))
        for o in organizations
    ]


def _rule_results(rules, kind, held, year, today):
    """[RuleResult] of an organisation of `kind` from its {meeting kind: (month mask, meetings)}."""
    results = []
    for meeting_kind, frequency in rules.get(kind, {}).items():
        state, count, missed = judge(frequency, held.get(meeting_kind, NONE_HELD), year, today)
        results.append(RuleResult(meeting_kind, frequency, state, count, missed))
    return results


def attendance_rates(members, *, start, end):
    """{member_id: (attended, counted)} for meetings held with their start's local date in [start, end]:
    one grouped query. The rate is attended / counted (None when counted is 0)."""
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz)
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), tz)
    rows = (
        Attendance.objects.filter(
            member__in=members,
            meeting__status__in=HELD_STATUSES,
            meeting__start__gte=since,
            meeting__start__lt=until,
        )
        .values_list("member_id")
        .annotate(attended=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)), counted=Count("pk"))
        .order_by()
    )
    return {member_id: (attended, counted) for member_id, attended, counted in rows}


def rate(attended, counted):
    return None if not counted else attended / counted


@dataclass
class ListRow:
    """One organisation of an area's compliance list: its meetings' result and its active term."""

    result: OrganizationResult
    term: object  # CommitteeTerm with `due` annotated, or None
    today: dt.date

    @property
    def organization(self):
        return self.result.organization

    @property
    def term_state(self):
        return self.term.state(self.today) if self.term else ""

    @property
    def term_label(self):
        return self.term.state_label(self.today) if self.term_state else ""


def area_list(organizations, *, year, today=None, everyone=False):
    """The compliance list of `organizations` (a queryset: an area's): [ListRow] of those behind or due
    soon on a meeting, or whose term is due soon or overdue (all of them with `everyone`), by area and
    name. Five queries: rules, the organisations' kinds, meetings, terms, and the listed organisations
    (with their areas): a district's thousands are judged from their ids and kinds, and only the few
    hundred listed are read whole."""
    today = today or timezone.localdate()
    rules = rules_for(year)
    organizations = organizations.filter(kind__in=list(rules))
    ids = organizations.values("pk")
    kinds = list(organizations.order_by("area__path", "name", "pk").values_list("pk", "kind"))
    held = held_months(ids, year) if kinds else {}
    terms = CommitteeTerm.objects.active().with_due_on().filter(organization__in=ids)
    if not everyone:
        terms = terms.filter(due__lte=today + dt.timedelta(days=TERM_DUE_SOON_DAYS))
    by_org = {t.organization_id: t for t in terms}
    judged = []  # (organisation id, its rule results, its term) of those listed
    for pk, kind in kinds:
        results, term = _rule_results(rules, kind, held.get(pk, {}), year, today), by_org.get(pk)
        if everyone or any(r.state != MET for r in results) or (term and term.state(today)):
            judged.append((pk, results, term))
    read = Organization.objects.select_related("area").in_bulk([pk for pk, _results, _term in judged])
    return [ListRow(OrganizationResult(read[pk], results), term, today) for pk, results, term in judged]


# --- the area dashboard's 组织生活 section --------------------------------------------------------------
# The dashboard shows the meetings held by kind and the terms due (cheap at any size); the fuller
# `compliance_summary` below (met/behind per month) is too slow for a city's page until the months met
# are kept per organisation.


def meeting_measures():
    return [
        Measure(
            kind,
            label,
            f"开始时间在当月、已召开或已记录的{label}次数（本区域各党组织）。",
            "次",
            "start",
            where=Q(kind=kind, status__in=HELD_STATUSES),
        )
        for kind, label in MeetingKind.choices
    ]


def meeting_months(area, year):
    """[Series] the meetings held in `area`'s subtree in each month of `year`, one per kind: one query."""
    return monthly(Meeting.objects.within(area), year, meeting_measures())


TERM_DEFINITIONS = {
    "due_soon": (
        "即将届满",
        f"现任届次 {TERM_DUE_SOON_DAYS} 天内到期（含到期日，有批准延期的按延期后的日期）的党组织数。",
    ),
    "overdue": ("已超期未换届", "现任届次到期日已过仍未换届的党组织数。"),
}


def term_counts(area, today=None):
    """{"due_soon": n, "overdue": n}: the active terms of `area`'s organisations as of `today`
    (Asia/Shanghai), computed from the dates now: one query."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=TERM_DUE_SOON_DAYS)
    return (
        CommitteeTerm.objects.within(area)
        .active()
        .with_due_on()
        .aggregate(
            due_soon=Count("pk", filter=Q(due__gte=today, due__lte=soon)),
            overdue=Count("pk", filter=Q(due__lt=today)),
        )
    )


def _judged_on(year, today):
    """The day each month of `year` is judged on: the first day after it (the periods ending with it have
    ended, a term due on its last day is overdue), today for the current month, None for months ahead."""
    days = []
    for month in range(1, 13):
        after = dt.date(year + month // 12, month % 12 + 1, 1)
        days.append(None if dt.date(year, month, 1) > today else min(after, today))
    return days


def _first_miss(rules, masks, year):
    """The end of the earliest period of `year` an organisation held none of a rule's meetings in (the
    day it became behind), or None: it met every period. `masks`: {meeting kind: month mask}."""
    ends = [
        end
        for meeting_kind, frequency in rules.items()
        for start, end, _label in periods(year, frequency)
        if not _met_in(masks.get(meeting_kind, 0), start, end)
    ]
    return min(ends, default=None)


def compliance_summary(area, year, *, today=None):
    """三会一课 and 按期换届 of `area`'s subtree, month by month in `year` (for the area dashboard).

    Returns a dict:
        "months": [date(year, m, 1) for m in 1..12],
        "organizations": int, the organisations a rule applies to in `year`,
        "met", "behind": [int | None] × 12, organisations on time on every rule / behind on one,
        "terms_due_soon", "terms_overdue": [int | None] × 12, active terms due within 90 days / past due,
    each month as it stood the day after it ended (the current month: today; a month ahead: None), with
    the definitions of this module and of CommitteeTerm. Four queries whatever the area's size: the rules,
    the organisations' kinds and the meetings (one row per organisation) for the meetings, one for the
    terms (a term's extension counts as of now: its history is not replayed).
    """
    today = today or timezone.localdate()
    days = _judged_on(year, today)
    rules = rules_for(year)
    organizations = Organization.objects.within(area).filter(kind__in=list(rules))
    kinds = dict(organizations.values_list("pk", "kind"))
    held = held_months(organizations.values("pk"), year) if kinds else {}
    # Organisations per (kind, months met in): most share a few patterns, each judged once.
    patterns = Counter(
        (kind, tuple(sorted((k, mask) for k, (mask, _n) in held.get(pk, {}).items())))
        for pk, kind in kinds.items()
    )
    # The day each organisation became behind, counted per day: a few dozen distinct period ends.
    became_behind = Counter()
    for (kind, masks), n in patterns.items():
        became_behind[_first_miss(rules[kind], dict(masks), year)] += n
    behind = [
        None if day is None else sum(n for end, n in became_behind.items() if end is not None and end <= day)
        for day in days
    ]
    figures = {
        "months": [dt.date(year, month, 1) for month in range(1, 13)],
        "organizations": len(kinds),
        "met": [None if b is None else len(kinds) - b for b in behind],
        "behind": behind,
    }
    figures.update(_terms_by_month(area, days))
    return figures


def _terms_by_month(area, days):
    """{"terms_due_soon": [...], "terms_overdue": [...]}: the terms active on each day, in one query of
    conditional counts (two per month)."""
    columns = {}
    for n, day in enumerate(days):
        if day is None:
            continue
        active = Q(elected_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        soon = day + dt.timedelta(days=TERM_DUE_SOON_DAYS)
        columns[f"soon_{n}"] = Count("pk", filter=active & Q(due__gte=day, due__lte=soon))
        columns[f"overdue_{n}"] = Count("pk", filter=active & Q(due__lt=day))
    counts = CommitteeTerm.objects.within(area).with_due_on().aggregate(**columns) if columns else {}
    return {
        "terms_due_soon": [counts.get(f"soon_{n}") for n in range(12)],
        "terms_overdue": [counts.get(f"overdue_{n}") for n in range(12)],
    }
