"""Compliance of 三会一课 (members/compliance.py) against a hand-written evaluation, rules as data, and a
member's attendance rate against plain SQL."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.utils import timezone

from members import compliance
from members.models import (
    Attendance,
    AttendanceStatus,
    ComplianceRule,
    Frequency,
    MeetingKind,
    MeetingStatus,
    OrganizationKind,
)
from tests.factories import AttendanceFactory, MeetingFactory, MemberFactory, OrganizationFactory, TownFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# The defaults the migration writes, spelled out again here on purpose: the test checks the data.
BRANCH_RULES = {
    MeetingKind.GENERAL_MEETING: 3,  # months per period: quarterly
    MeetingKind.COMMITTEE_MEETING: 1,
    MeetingKind.PARTY_LECTURE: 3,
}


def at_local(day, hour, minute=0):
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def hand_written_behind(held, today):
    """{(branch index, kind)} behind: a period that ended by `today` with no held meeting in it.
    `held` is [(branch index, kind, local date)]."""
    behind = set()
    for index in range(50):
        for kind, months in BRANCH_RULES.items():
            for first_month in range(1, 13, months):
                start = dt.date(YEAR, first_month, 1)
                end = (
                    dt.date(YEAR + 1, 1, 1)
                    if first_month + months > 12
                    else dt.date(YEAR, first_month + months, 1)
                )
                if end > today:
                    continue
                if not any(i == index and k == kind and start <= d < end for i, k, d in held):
                    behind.add((index, kind))
    return behind


@pytest.fixture
def fifty_branches():
    """50 branches with random meetings through 2025, some planned only, some at 23:30 or 00:30 local on
    a period's edge (a different UTC day), so the time zone of the periods is tested too."""
    rng = random.Random(18)
    street = TownFactory()
    branches = [OrganizationFactory(area__parent=street) for _ in range(50)]
    held = []
    creator = MeetingFactory.created_by.get_factory()(is_superuser=True)
    for index, branch in enumerate(branches):
        for kind in BRANCH_RULES:
            for month in range(1, 13):
                if rng.random() < 0.2:
                    continue
                last_day = (
                    dt.date(YEAR, month % 12 + 1, 1) if month < 12 else dt.date(YEAR + 1, 1, 1)
                ) - dt.timedelta(1)
                day = rng.choice([dt.date(YEAR, month, 1), dt.date(YEAR, month, 15), last_day])
                hour = 0 if day.day == 1 else (23 if day == last_day else 10)
                start = at_local(day, hour, 30 if hour != 10 else 0)
                status = rng.choice([MeetingStatus.HELD, MeetingStatus.RECORDED, MeetingStatus.PLANNED])
                MeetingFactory(
                    organization=branch, kind=kind, start=start, end=start + dt.timedelta(minutes=20),
                    status=status, recorded_at=timezone.now() if status == MeetingStatus.RECORDED else None,
                    created_by=creator,
                )  # fmt: skip
                if status != MeetingStatus.PLANNED:
                    held.append((index, kind, day))
    return street, branches, held


def test_behind_equals_a_hand_written_evaluation_for_50_branches(fifty_branches):
    street, branches, held = fifty_branches
    # After the year, and on two days within it (a period's first day; mid-quarter).
    for today in (dt.date(2026, 1, 10), dt.date(2025, 7, 1), dt.date(2025, 5, 20)):
        results = compliance.evaluate(branches, year=YEAR, today=today)
        got = {
            (branches.index(r.organization), rule.meeting_kind)
            for r in results
            for rule in r.rules
            if rule.state == compliance.BEHIND
        }
        expected = hand_written_behind(held, today)
        assert got == expected, today
        assert 0 < len(expected) < 150  # the data makes some branches behind and leaves some on time


def test_evaluate_takes_three_queries_whatever_the_number_of_organisations(
    fifty_branches, django_assert_num_queries
):
    street, branches, held = fifty_branches
    from members.models import Organization

    with django_assert_num_queries(3):
        compliance.evaluate(Organization.objects.within(street), year=YEAR, today=dt.date(2026, 1, 10))


def test_due_soon_is_the_current_period_unmet_near_its_end():
    branch = OrganizationFactory()
    MeetingFactory(
        organization=branch, kind=MeetingKind.COMMITTEE_MEETING, start=at_local(dt.date(2025, 5, 3), 10)
    )
    by_kind = lambda today: {  # noqa: E731
        r.meeting_kind: r.state for r in compliance.evaluate([branch], year=YEAR, today=today)[0].rules
    }
    assert by_kind(dt.date(2025, 5, 10))[MeetingKind.COMMITTEE_MEETING] == compliance.BEHIND  # Jan–Apr
    assert by_kind(dt.date(2025, 6, 25))[MeetingKind.GENERAL_MEETING] == compliance.BEHIND  # Q1 missed
    other = OrganizationFactory()
    MeetingFactory(
        organization=other, kind=MeetingKind.GENERAL_MEETING, start=at_local(dt.date(2025, 2, 3), 10)
    )
    states = {
        r.meeting_kind: r.state
        for r in compliance.evaluate([other], year=YEAR, today=dt.date(2025, 3, 25))[0].rules
    }
    assert states[MeetingKind.GENERAL_MEETING] == compliance.MET
    assert states[MeetingKind.PARTY_LECTURE] == compliance.DUE_SOON  # Q1: 6 days left, none yet
    assert states[MeetingKind.COMMITTEE_MEETING] == compliance.BEHIND  # January and February missed
    states = {
        r.meeting_kind: r.state
        for r in compliance.evaluate([other], year=YEAR, today=dt.date(2025, 3, 10))[0].rules
    }
    assert states[MeetingKind.PARTY_LECTURE] == compliance.MET  # 21 days left: not yet "due soon"


def test_a_years_rule_replaces_the_standing_one_for_that_year_only():
    branch = OrganizationFactory()
    ComplianceRule.objects.create(
        organization_kind=OrganizationKind.BRANCH, meeting_kind=MeetingKind.PARTY_LECTURE,
        frequency=Frequency.HALF_YEARLY, year=YEAR,
    )  # fmt: skip
    ComplianceRule.objects.create(
        organization_kind=OrganizationKind.BRANCH, meeting_kind=MeetingKind.COMMITTEE_MEETING,
        frequency=Frequency.MONTHLY, year=YEAR, required=False,
    )  # fmt: skip
    MeetingFactory(
        organization=branch, kind=MeetingKind.PARTY_LECTURE, start=at_local(dt.date(2025, 5, 3), 10)
    )
    rules = {
        r.meeting_kind: r
        for r in compliance.evaluate([branch], year=YEAR, today=dt.date(2025, 7, 2))[0].rules
    }
    assert MeetingKind.COMMITTEE_MEETING not in rules
    assert rules[MeetingKind.PARTY_LECTURE].state == compliance.MET  # one in the first half year is enough
    standing = {
        r.meeting_kind: r
        for r in compliance.evaluate([branch], year=2024, today=dt.date(2025, 1, 2))[0].rules
    }
    assert standing[MeetingKind.PARTY_LECTURE].frequency == Frequency.QUARTERLY
    assert standing[MeetingKind.COMMITTEE_MEETING].missed[:2] == ["1 月", "2 月"]


def test_group_meetings_are_due_from_each_party_group_monthly():
    branch = OrganizationFactory()
    group = OrganizationFactory(kind=OrganizationKind.GROUP, parent=branch, area=branch.area)
    (result,) = compliance.evaluate([group], year=YEAR, today=dt.date(2025, 2, 2))
    assert [(r.meeting_kind, r.state, r.missed) for r in result.rules] == [
        (MeetingKind.GROUP_MEETING, compliance.BEHIND, ["1 月"])
    ]


def test_attendance_rate_equals_sql_for_20_random_members():
    rng = random.Random(20)
    branch = OrganizationFactory()
    members = [MemberFactory(organization=branch) for _ in range(20)]
    for n in range(12):
        status = MeetingStatus.PLANNED if n % 5 == 4 else MeetingStatus.HELD
        meeting = MeetingFactory(
            organization=branch, start=at_local(dt.date(2025, n % 12 + 1, 10), 9), status=status
        )
        for member in rng.sample(members, rng.randint(5, 20)):
            status = rng.choice(AttendanceStatus.values)
            AttendanceFactory(
                meeting=meeting, member=member, status=status, reason="出差" if status == "excused" else ""
            )
    # One meeting outside the range, which must not count.
    AttendanceFactory(
        meeting=MeetingFactory(organization=branch, start=at_local(dt.date(2024, 12, 31), 9)),
        member=members[0],
    )
    rates = compliance.attendance_rates(
        [m.pk for m in members], start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    table, meetings_table = Attendance._meta.db_table, Attendance.meeting.field.related_model._meta.db_table
    with connection.cursor() as cursor:
        for member in members:
            cursor.execute(
                f"SELECT SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END), COUNT(*) FROM {table} a "
                f"JOIN {meetings_table} m ON m.id = a.meeting_id WHERE a.member_id = %s "
                "AND m.status IN ('held', 'recorded') AND m.start >= %s AND m.start < %s",
                [
                    member.pk,
                    dt.datetime(2024, 12, 31, 16, tzinfo=dt.UTC),
                    dt.datetime(2025, 12, 31, 16, tzinfo=dt.UTC),
                ],
            )
            attended, counted = cursor.fetchone()
            assert rates.get(member.pk, (0, 0)) == (attended or 0, counted)
            if counted:
                assert compliance.rate(*rates[member.pk]) == pytest.approx((attended or 0) / counted)
