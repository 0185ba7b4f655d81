"""按期换届 (members/terms.py, CommitteeTerm): due soon and overdue from the dates in Asia/Shanghai, the day
before, on and after the due date; one active term per organisation; approved extensions."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from members import terms
from members.models import CommitteeTerm, OrganizationKind, Role, TermLength
from tests.factories import CommitteeTermFactory, OrganizationFactory, StaffFactory, TownFactory, UserFactory

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 6, 1)  # a branch elected on 2023-06-01 serves three years


@pytest.fixture
def branch():
    return OrganizationFactory(area__parent=TownFactory())


@pytest.fixture
def term(branch):
    return terms.elect_committee(
        organization=branch, by=StaffFactory(area=branch.area), elected_on=dt.date(2023, 6, 1)
    )


def flags(term, today):
    active = CommitteeTerm.objects.filter(pk=term.pk)
    return term.state(today), active.due_soon(today).exists(), active.overdue(today).exists()


def test_the_term_runs_the_configured_years_of_its_organisation_kind(term):
    assert (term.number, term.years, term.regular_due_on, term.due_on) == (1, 3, DUE, DUE)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DUE - dt.timedelta(days=91), ("", False, False)),
        (DUE - dt.timedelta(days=90), ("due_soon", True, False)),
        (DUE - dt.timedelta(days=1), ("due_soon", True, False)),
        (DUE, ("due_soon", True, False)),
        (DUE + dt.timedelta(days=1), ("overdue", False, True)),
    ],
)
def test_due_soon_and_overdue_the_days_around_the_due_date(term, today, expected):
    assert flags(term, today) == expected


@pytest.mark.parametrize(
    ("utc", "state"),
    [
        ("2026-06-01T15:59:00Z", "due_soon"),  # 23:59 on the due date in Shanghai
        ("2026-06-01T16:00:00Z", "overdue"),  # 00:00 the day after in Shanghai, still 1 June in UTC
    ],
)
def test_today_is_the_date_in_shanghai(term, utc, state):
    with time_machine.travel(utc, tick=False):
        assert term.state() == state
        assert CommitteeTerm.objects.filter(pk=term.pk).overdue().exists() == (state == "overdue")


def test_a_new_election_ends_the_active_term_and_numbers_the_next(term, branch):
    following = terms.elect_committee(
        organization=branch, by=StaffFactory(area=branch.area), elected_on=dt.date(2026, 5, 20)
    )
    term.refresh_from_db()
    assert term.ended_on == dt.date(2026, 5, 20) and term.state(DUE + dt.timedelta(days=5)) == ""
    assert following.number == 2 and following.regular_due_on == dt.date(2029, 5, 20)
    assert CommitteeTerm.objects.filter(organization=branch).active().get() == following


def test_the_database_keeps_one_active_term_per_organisation(branch):
    CommitteeTermFactory(organization=branch)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeTermFactory(organization=branch, number=2, elected_on=dt.date(2024, 1, 1))
    CommitteeTermFactory(organization=OrganizationFactory())  # another organisation's is fine


def test_an_extension_is_approved_by_street_staff_with_a_reason(term, branch):
    street_staff = StaffFactory(role=Role.STREET_STAFF, area=branch.area.parent)
    secretary = UserFactory(role=Role.ORGANIZER, organization=branch)
    with pytest.raises(PermissionDenied):
        terms.extend_term(term=term, by=secretary, until=dt.date(2026, 9, 1), reason="疫情")
    with pytest.raises(ValidationError) as refused:
        terms.extend_term(term=term, by=street_staff, until=dt.date(2026, 5, 1), reason=" ")
    assert set(refused.value.message_dict) == {"reason", "until"}
    extended = terms.extend_term(term=term, by=street_staff, until=dt.date(2026, 9, 1), reason="党员大会推迟")
    assert extended.due_on == dt.date(2026, 9, 1) and extended.extension_approved_by == street_staff
    assert flags(extended, DUE + dt.timedelta(days=5)) == ("due_soon", True, False)  # 88 days left
    assert flags(extended, dt.date(2026, 9, 2)) == ("overdue", False, True)


def test_the_database_refuses_an_extension_without_approver(term):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeTerm.objects.filter(pk=term.pk).update(
            extended_until=dt.date(2026, 9, 1), extension_reason="x"
        )


def test_term_length_is_data_and_a_kind_without_one_is_refused_in_chinese(branch):
    TermLength.objects.filter(organization_kind=OrganizationKind.BRANCH).update(years=5)
    term = terms.elect_committee(
        organization=branch, by=StaffFactory(area=branch.area), elected_on=dt.date(2024, 2, 29)
    )
    assert term.regular_due_on == dt.date(2029, 2, 28)
    group = OrganizationFactory(kind=OrganizationKind.GROUP, parent=branch, area=branch.area)
    with pytest.raises(ValidationError, match="尚未设置党小组的任期年限"):
        terms.elect_committee(
            organization=group, by=StaffFactory(area=branch.area), elected_on=dt.date(2024, 1, 1)
        )
