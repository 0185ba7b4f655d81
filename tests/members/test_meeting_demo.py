"""The demo 组织生活: a year of meetings for the demo branches through the write path, some behind, one 补录,
one amendment, one term overdue and one due soon, seeded once; the pages show them; the city build."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members import demo_meetings
from members.compliance import BEHIND, evaluate, periods, rules_for
from members.models import (
    Attendance,
    CommitteeTerm,
    Meeting,
    MeetingAmendment,
    MeetingStatus,
    Organization,
    OrganizationKind,
    User,
)
from tests.factories import CommunityFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def month_back(today, back):
    year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
    return dt.date(year, month + 1, 1)


def ended_this_year(frequency, month, today):
    """Whether the period of `frequency` holding `month` ended before `today`, in today's year."""
    return month.year == today.year and any(
        start <= month < end <= today for start, end, _label in periods(today.year, frequency)
    )


def test_the_demo_branches_have_a_year_of_meetings_and_terms_seeded_once(client):
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    branch = Organization.objects.get(name="“苏会党员”行动党支部")
    held = Meeting.objects.filter(organization=branch, status=MeetingStatus.RECORDED)
    assert held.count() >= 12 and held.filter(start__date__lt=today.replace(day=1)).exists()
    # Its members' attendance, one row per member per meeting.
    assert Attendance.objects.filter(meeting__organization=branch).count() == held.count() * 5
    late = Meeting.objects.filter(late_entry=True)
    assert [(m.organization.name, m.kind) for m in late] == [demo_meetings.LATE]
    amendment = MeetingAmendment.objects.get()
    assert amendment.reason == demo_meetings.AMENDMENT_REASON and "attendance" in amendment.changes

    # Behind exactly where a period was skipped (those of the year that have ended), met elsewhere.
    rules = rules_for(today.year)
    orgs = Organization.objects.filter(name__in=[s[0] for s in demo_meetings.SKIPPED])
    behind = {
        (r.organization.name, rule.meeting_kind)
        for r in evaluate(orgs, year=today.year, today=today)
        for rule in r.behind
    }
    expected = {
        (name, kind)
        for name, kind, back in demo_meetings.SKIPPED
        if ended_this_year(rules[OrganizationKind.BRANCH][kind], month_back(today, back), today)
    }
    assert behind == expected
    assert all(
        r.state != BEHIND
        for r in evaluate(
            Organization.objects.filter(name__in=["“苏会党员”行动党支部", "便民服务党小组", "树山村党总支"]),
            year=today.year,
            today=today,
        )
    )
    overdue, due_soon = CommitteeTerm.objects.overdue(today), CommitteeTerm.objects.due_soon(today)
    assert [t.organization.name for t in overdue] == [demo_meetings.OVERDUE_TERM[0]]
    assert [t.organization.name for t in due_soon] == [demo_meetings.DUE_SOON_TERM[0]]

    # The pages show them: the secretary's 组织生活 and the district's compliance list.
    client.force_login(User.objects.get(username="organizer"))
    life = client.get(reverse("members:my-organization-life"), follow=True).content.decode()
    assert "（补录）" in life and demo_meetings.TOPICS[demo_meetings.LATE[1]] in life
    assert demo_meetings.AMENDMENT_REASON in client.get(amendment.meeting.get_absolute_url()).content.decode()
    client.force_login(User.objects.get(username="wuzhong_admin"))
    listed = client.get(reverse("members:compliance-list")).content.decode()
    assert "湖景花园社区党支部" in listed and "已超期未换届" in listed

    counts = Meeting.objects.count(), CommitteeTerm.objects.count(), Attendance.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (Meeting.objects.count(), CommitteeTerm.objects.count(), Attendance.objects.count()) == counts


def test_the_city_build_gives_every_branch_and_group_a_year_and_every_organisation_a_term():
    UserFactory(is_superuser=True)
    community = CommunityFactory()
    branches = [OrganizationFactory(area=community) for _ in range(20)]
    group = OrganizationFactory(area=community, kind=OrganizationKind.GROUP, parent=branches[0])
    committee = OrganizationFactory(area=community, kind=OrganizationKind.COMMITTEE)
    out = io.StringIO()
    demo_meetings.build_city(stdout=out, batch=100)
    today = timezone.localdate()
    plan = len(demo_meetings.schedule(rules_for(today.year)[OrganizationKind.BRANCH], today))
    per_branch = [Meeting.objects.filter(organization=b).count() for b in branches]
    # One meeting in a hundred is missed: some, not many.
    assert plan * 20 * 0.9 < sum(per_branch) < plan * 20 and max(per_branch) == plan
    assert Meeting.objects.filter(organization=group).count() > 0
    assert not Meeting.objects.filter(organization=committee).exists()
    assert CommitteeTerm.objects.active().count() == 21  # a 党小组 has no committee of its own
    assert "已写入" in out.getvalue() and "全市规模" in out.getvalue()
    # A rerun adds nothing: every organisation already has its year and its term.
    before = Meeting.objects.count()
    demo_meetings.build_city(stdout=io.StringIO())
    assert Meeting.objects.count() == before and CommitteeTerm.objects.count() == 21
