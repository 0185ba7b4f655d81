"""Demo 组织生活 (called from members.demo.seed, after the members): a year of 三会一课 for the demo
branches, general branches and 党小组, with attendance where they have members, and a committee term for
every demo organisation. Some are behind on a rule, one term is overdue and one due soon, one record was
entered late (补录) and one settled record was amended. `scale="city"` adds a year of meetings for every
generated organisation and a term for each, bulk-inserted (attendance only for the demo ones).

The demo's meetings and terms go through the one write path (meetings.record_meeting, amend_meeting,
terms.elect_committee), each record entered the day after the meeting (`now=`), as a secretary would, so
only the one meant to be late is 补录. Seeding twice changes nothing: an organisation that already has
meetings (or a term) is left as it is.
"""

import datetime as dt
import random
import time

from django.db import connection
from django.utils import timezone

from . import meetings, terms
from .compliance import rules_for
from .demo_people import NAMED
from .models import (
    AttendanceStatus,
    CommitteeTerm,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Organization,
    Role,
    TermLength,
    User,
)
from .models.meetings import MONTHS_PER_PERIOD

# The 党小组 the demo members belong to; members/demo.py passes the names of its organisations.
DEMO_GROUPS = [n[2] for n in NAMED if n[2]]

TOPICS = {
    MeetingKind.GENERAL_MEETING: "学习贯彻党的二十大精神，讨论本季度支部工作",
    MeetingKind.COMMITTEE_MEETING: "研究本月党员教育管理和志愿服务安排",
    MeetingKind.GROUP_MEETING: "党小组学习交流，通报网格走访情况",
    MeetingKind.PARTY_LECTURE: "党课：践行“海棠花红”先锋阵地使命",
    MeetingKind.THEME_DAY: "主题党日：重温入党誓词",
}
PLACE = "党员活动室"
# The day of the month each kind of meeting is held, and its hour (Asia/Shanghai).
DAY_OF = {
    MeetingKind.COMMITTEE_MEETING: 5,
    MeetingKind.GROUP_MEETING: 12,
    MeetingKind.GENERAL_MEETING: 18,
    MeetingKind.PARTY_LECTURE: 22,
    MeetingKind.THEME_DAY: 25,
}
HOUR = 14

# Gaps that leave a branch behind: (organisation, meeting kind, months before this month). Seeded in
# December, all three fall in ended periods of the year: 9 and 10 月's 支委会, the third quarter's 党课,
# the second quarter's 支部党员大会.
SKIPPED = {
    ("湖景花园社区党支部", MeetingKind.COMMITTEE_MEETING, 2),
    ("湖景花园社区党支部", MeetingKind.COMMITTEE_MEETING, 3),
    ("牌楼社区第三党支部", MeetingKind.PARTY_LECTURE, 4),
    ("镇湖刺绣协会党支部", MeetingKind.GENERAL_MEETING, 7),
}
# The record entered 40 days after the meeting (补录), and the settled record corrected afterwards.
LATE = ("“苏会党员”行动党支部", MeetingKind.PARTY_LECTURE)
AMENDED = ("“苏会党员”行动党支部", MeetingKind.GENERAL_MEETING)
AMENDMENT_REASON = "补交请假条，更正出席情况"
EXCUSE = "外出参加会展保障"

# Terms: elected a year ago, except one overdue (its three years ran out 20 days ago) and one due within
# the 90 days (in 45 days).
OVERDUE_TERM = ("湖景花园社区党支部", -20)
DUE_SOON_TERM = ("树山村党总支", 45)

# At city scale one meeting in a hundred is missed: about one branch in six is behind on some rule.
CITY_MINUTES = "全市演示会议记录（批量生成）。"
CITY_MISS_RATE = 0.01


def schedule(rules, today):
    """[(meeting kind, start)] of the meetings `rules` ({meeting kind: frequency}) ask for over the twelve
    months up to this one: one a period, on the kind's day of the period's middle month (a quarter's in
    its second month), those already past."""
    tz, now = timezone.get_current_timezone(), timezone.now()
    due = []
    for back in range(11, -1, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        month += 1
        for kind, frequency in rules.items():
            step = MONTHS_PER_PERIOD[frequency]
            start = timezone.make_aware(dt.datetime(year, month, DAY_OF[kind], HOUR), tz)
            if (month - 1) % step == step // 2 and start < now:
                due.append((kind, start))
    return due


def months_before(start, today):
    return (today.year - start.year) * 12 + today.month - start.month


def seed(*, scale, stdout, names):
    """`names`: the demo organisations (members/demo.py); theirs go through the write path."""
    seed_named(names=[*names, *DEMO_GROUPS], stdout=stdout)
    if scale == "city" and not Meeting.objects.filter(minutes=CITY_MINUTES).exists():
        build_city(stdout=stdout)


def _recorder(organization, admin):
    """The branch's secretary when it has an organiser account, else the superuser."""
    secretary = User.objects.filter(
        role=Role.ORGANIZER, organization__in=[organization.pk, organization.parent_id]
    ).first()
    return secretary or admin


def seed_named(*, names, stdout):
    admin = User.objects.filter(username="admin").first()
    organizations = list(Organization.objects.filter(name__in=names).order_by("pk"))
    if admin is None or not organizations:
        stdout.write("组织生活：没有演示党组织，跳过。")
        return
    today = timezone.localdate()
    rules = rules_for(today.year)
    held = set(Meeting.objects.filter(organization__in=organizations).values_list("organization", flat=True))
    made = 0
    for organization in organizations:
        if organization.pk not in held and organization.kind in rules:
            by = _recorder(organization, admin)
            made += _seed_meetings(organization, rules[organization.kind], today, by)
    elected = _seed_terms(organizations, today, admin)
    if made or elected:
        stdout.write(
            f"组织生活：{made} 次演示会议（部分支部未按期召开，一次补录，一次更正），{elected} 届委员会"
            "（一届已超期未换届，一届即将届满）。"
        )


def _seed_meetings(organization, rules, today, by):
    rng = random.Random(organization.name)
    roster = list(meetings.roster(organization).values_list("pk", flat=True))
    made = []
    for kind, start in schedule(rules, today):
        if (organization.name, kind, months_before(start, today)) in SKIPPED:
            continue
        # The first meeting of the LATE kind is the one entered late.
        late = (organization.name, kind) == LATE and kind not in {m.kind for m in made}
        recorded = start + dt.timedelta(days=40 if late else 1)
        attendance = {pk: _attendance(rng) for pk in roster}
        made.append(
            meetings.record_meeting(
                by=by,
                organization=organization,
                attendance=attendance,
                now=min(recorded, timezone.now()),
                kind=kind,
                start=start,
                end=start + dt.timedelta(hours=1, minutes=30),
                place=PLACE,
                topic=TOPICS[kind],
                presided_by=organization.secretary or "支部书记",
                minutes=f"{TOPICS[kind]}。与会党员交流发言，形成会议纪要。",
            )  # fmt: skip
        )
    if organization.name == AMENDED[0] and roster:
        _amend_one(made, by)
    return len(made)


def _attendance(rng):
    roll = rng.random()
    if roll < 0.8:
        return AttendanceStatus.PRESENT, ""
    if roll < 0.93:
        return AttendanceStatus.EXCUSED, EXCUSE
    return AttendanceStatus.ABSENT, ""


def _amend_one(made, by):
    """The oldest settled general meeting: a member's leave note turned up after the record was settled."""
    settled = [m for m in made if m.kind == AMENDED[1] and m.locked]
    if not settled:
        return
    attendance = {a.member_id: (a.status, a.reason) for a in settled[0].attendances.all()}
    noted = next((pk for pk, (status, _) in attendance.items() if status != AttendanceStatus.EXCUSED), None)
    if noted is None:
        return
    attendance[noted] = (AttendanceStatus.EXCUSED, EXCUSE)
    meetings.amend_meeting(meeting=settled[0], by=by, reason=AMENDMENT_REASON, attendance=attendance)


def _seed_terms(organizations, today, admin):
    years = dict(TermLength.objects.values_list("organization_kind", "years"))
    with_term = set(
        CommitteeTerm.objects.filter(organization__in=organizations).values_list("organization", flat=True)
    )
    elected = 0
    for organization in organizations:
        if organization.pk in with_term or organization.kind not in years:
            continue
        elected_on = today - dt.timedelta(days=365)
        for name, days_left in (OVERDUE_TERM, DUE_SOON_TERM):
            if organization.name == name:
                due = today + dt.timedelta(days=days_left)
                elected_on = terms.add_years(due, -years[organization.kind])
        terms.elect_committee(organization=organization, by=admin, elected_on=elected_on)
        elected += 1
    return elected


def build_city(*, stdout, batch=50_000, seed=18):
    """A year of meetings for every organisation a rule applies to that has none yet (≈600,000 for the
    city's 35,000), recorded the day after, with a few periods missed; and one active term for each
    organisation without one, elected at a random day of its term (a few now overdue). Bulk inserts,
    `batch` meetings at a time; progress is printed as it goes."""
    started = time.perf_counter()
    rng = random.Random(seed)
    today = timezone.localdate()
    rules = rules_for(today.year)
    by = User.objects.filter(is_superuser=True).order_by("pk").first()
    if by is None:
        return
    plans = {kind: schedule(r, today) for kind, r in rules.items()}
    organizations = (
        Organization.objects.filter(kind__in=list(rules), meetings__isnull=True)
        .values_list("pk", "kind")
        .order_by("pk")
    )
    rows, made = [], 0
    for pk, kind in organizations.iterator(chunk_size=5000):
        for meeting_kind, start in plans[kind]:
            if rng.random() < CITY_MISS_RATE:
                continue
            rows.append(
                Meeting(
                    organization_id=pk,
                    kind=meeting_kind,
                    status=MeetingStatus.RECORDED,
                    start=start,
                    end=start + dt.timedelta(hours=1, minutes=30),
                    place=PLACE,
                    topic=TOPICS[meeting_kind],
                    minutes=CITY_MINUTES,
                    recorded_at=start + dt.timedelta(days=1),
                    recorded_by=by,
                    created_by=by,
                )  # fmt: skip
            )
        if len(rows) >= batch:
            made += _flush(rows, made, started, stdout)
    made += _flush(rows, made, started, stdout)
    elected = _city_terms(rng, today)
    # Planner statistics for the fresh rows (without them PostgreSQL guesses a few dozen organisations
    # and loops); only these tables: a whole-database ANALYZE waits on shared catalogs other work holds.
    with connection.cursor() as cursor:
        for table in (Meeting._meta.db_table, CommitteeTerm._meta.db_table, Organization._meta.db_table):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    stdout.write(
        f"全市规模：新增 {made} 次组织生活会议、{elected} 届委员会"
        f"（{time.perf_counter() - started:.0f} 秒）。"
    )


def _flush(rows, made, started, stdout):
    Meeting.objects.bulk_create(rows, batch_size=5000)
    count = len(rows)
    rows.clear()
    if count:
        stdout.write(f"  组织生活会议：已写入 {made + count} 次（{time.perf_counter() - started:.0f} 秒）")
    return count


def _city_terms(rng, today):
    years = dict(TermLength.objects.values_list("organization_kind", "years"))
    terms_made = []
    without = Organization.objects.filter(kind__in=list(years), terms__isnull=True)
    for pk, kind in without.values_list("pk", "kind").order_by("pk"):
        # Elected between a month ago and two months past the term's length: ≈5% overdue, ≈8% due soon.
        elected_on = today - dt.timedelta(days=rng.randint(30, years[kind] * 365 + 60))
        terms_made.append(
            CommitteeTerm(
                organization_id=pk,
                number=1,
                elected_on=elected_on,
                years=years[kind],
                regular_due_on=terms.add_years(elected_on, years[kind]),
            )  # fmt: skip
        )
    CommitteeTerm.objects.bulk_create(terms_made, batch_size=5000)
    return len(terms_made)
