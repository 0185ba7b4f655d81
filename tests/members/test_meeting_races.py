"""Races on 组织生活, on the real PostgreSQL server: however many elections of one organisation or records
of one meeting arrive at the same instant, one active term and one attendance per member remain."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from members import meetings, terms
from members.models import Attendance, AttendanceStatus, CommitteeTerm, Role, TermLength
from tests.factories import MeetingFactory, MemberFactory, OrganizationFactory, StaffFactory, UserFactory
from tests.services.test_concurrency import race

THREADS = 20

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def outcome(work):
    try:
        work()
    except ValidationError as error:
        return "refused: " + error.messages[0]
    return "done"


def test_concurrent_elections_leave_one_active_term_and_a_numbered_history():
    TermLength.objects.get_or_create(organization_kind="branch", defaults={"years": 3})
    branch = OrganizationFactory()
    staff = StaffFactory(area=branch.area)
    results = race(
        lambda i: outcome(
            lambda: terms.elect_committee(organization=branch, by=staff, elected_on=dt.date(2024, 1, 1 + i))
        ),
        THREADS,
    )
    assert sum(results.values()) == THREADS and results["done"] >= 1
    assert CommitteeTerm.objects.filter(organization=branch).active().count() == 1
    numbers = sorted(CommitteeTerm.objects.filter(organization=branch).values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == results["done"]


def test_concurrent_records_of_one_meeting_keep_one_attendance_per_member():
    branch = OrganizationFactory()
    secretary = UserFactory(role=Role.ORGANIZER, organization=branch)
    members = [MemberFactory(organization=branch) for _ in range(5)]
    meeting = MeetingFactory(organization=branch)
    statuses = AttendanceStatus.values
    results = race(
        lambda i: outcome(
            lambda: meetings.record_meeting(
                by=secretary, meeting=meeting, minutes=f"第 {i} 份记录",
                attendance={m.pk: (statuses[i % 2 * 2], "") for m in members},
            )
        ),
        THREADS,
    )  # fmt: skip
    assert results == {"done": THREADS}  # the row lock queues them: each replaces the one before
    assert Attendance.objects.filter(meeting=meeting).count() == len(members)
