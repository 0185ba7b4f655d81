"""compliance_summary (the area dashboard's 组织生活 figures): month by month, the organisations met and
behind and the terms due soon and overdue, against hand-worked dates and against `evaluate` on each day,
in four queries."""

import datetime as dt

import pytest
from django.utils import timezone

from members.compliance import BEHIND, compliance_summary, evaluate
from members.models import MeetingKind, Organization, OrganizationKind
from tests.factories import (
    CommitteeTermFactory,
    CommunityFactory,
    MeetingFactory,
    OrganizationFactory,
    TownFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

YEAR = 2025
TODAY = dt.date(2025, 6, 15)
AHEAD = [None] * 6


def held(organization, kind, *months):
    for month in months:
        start = timezone.make_aware(dt.datetime(YEAR, month, 10, 14))
        MeetingFactory(organization=organization, kind=kind, start=start)


@pytest.fixture
def street():
    street = TownFactory()
    community = CommunityFactory(parent=street)
    on_time = OrganizationFactory(area=community, name="按期支部")
    held(on_time, MeetingKind.COMMITTEE_MEETING, 1, 2, 3, 4, 5, 6)
    held(on_time, MeetingKind.GENERAL_MEETING, 2, 5)
    held(on_time, MeetingKind.PARTY_LECTURE, 3, 6)
    march = OrganizationFactory(area=community, name="三月缺支委会")  # behind from 1 April
    held(march, MeetingKind.COMMITTEE_MEETING, 1, 2, 4, 5, 6)
    held(march, MeetingKind.GENERAL_MEETING, 1, 4)
    held(march, MeetingKind.PARTY_LECTURE, 1, 4)
    never = OrganizationFactory(area=community, name="从未开会")  # behind from 1 February
    group = OrganizationFactory(area=community, kind=OrganizationKind.GROUP, parent=on_time)
    held(group, MeetingKind.GROUP_MEETING, 1, 2, 3, 4, 5)  # June's is not due until the month ends
    OrganizationFactory(area=community, kind=OrganizationKind.COMMITTEE)  # no rule: not counted
    OrganizationFactory(name="别的街道的支部")  # another street's: not counted

    # Terms: due 10 March; due 1 May but replaced on 20 April; due 2024 but extended to 1 August.
    CommitteeTermFactory(organization=on_time, elected_on=dt.date(2022, 3, 10))
    CommitteeTermFactory(organization=march, elected_on=dt.date(2022, 5, 1), ended_on=dt.date(2025, 4, 20))
    CommitteeTermFactory(organization=march, number=2, elected_on=dt.date(2025, 4, 20))
    CommitteeTermFactory(
        organization=never, elected_on=dt.date(2021, 6, 1),
        extended_until=dt.date(2025, 8, 1), extension_reason="等待上级党组织批复",
        extension_approved_by=UserFactory(is_staff=True),
    )  # fmt: skip
    CommitteeTermFactory(elected_on=dt.date(2022, 3, 10))  # another street's overdue term
    return street


def test_month_by_month_it_matches_the_hand_worked_dates(street, django_assert_num_queries):
    with django_assert_num_queries(4):
        summary = compliance_summary(street, YEAR, today=TODAY)
    assert summary["months"] == [dt.date(YEAR, m, 1) for m in range(1, 13)]
    assert summary["organizations"] == 4
    assert summary["behind"] == [1, 1, 2, 2, 2, 2, *AHEAD]
    assert summary["met"] == [3, 3, 2, 2, 2, 2, *AHEAD]
    # Judged the day after each month (June: today): due within 90 days, or past due, while active.
    assert summary["terms_due_soon"] == [2, 2, 1, 0, 1, 1, *AHEAD]
    assert summary["terms_overdue"] == [0, 0, 1, 1, 1, 1, *AHEAD]


def test_each_month_agrees_with_the_organisations_evaluated_on_its_day(street):
    summary = compliance_summary(street, YEAR, today=TODAY)
    organizations = Organization.objects.within(street)
    for month in range(1, 7):
        day = min(dt.date(YEAR, month + 1, 1), TODAY)
        results = evaluate(organizations, year=YEAR, today=day)
        counted = [r for r in results if r.rules]
        assert summary["behind"][month - 1] == sum(r.state == BEHIND for r in counted), month
        assert summary["organizations"] == len(counted)


def test_a_past_year_is_judged_whole_and_a_year_ahead_is_empty(street):
    past = compliance_summary(street, YEAR, today=dt.date(YEAR + 1, 3, 1))
    # June's 党小组会 and, from July, the on-time branch's 支委会 were never held.
    assert past["behind"] == [1, 1, 2, 2, 2, 3, 4, 4, 4, 4, 4, 4]
    assert past["met"][11] == 0
    ahead = compliance_summary(street, YEAR + 1, today=TODAY)
    assert ahead["behind"] == [None] * 12 and ahead["terms_overdue"] == [None] * 12
