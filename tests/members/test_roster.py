"""The roster's domain functions (members/roster.py) and the database rules under them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members import roster
from members.models import (
    AccessKind,
    CommunityReporting,
    Member,
    Membership,
    MemberStatus,
    OrganizationKind,
    PersonalDataAccess,
    Role,
)
from sites.append_only import AppendOnlyError
from tests.factories import (
    CommunityFactory,
    GridFactory,
    MemberFactory,
    OrganizationFactory,
    StaffFactory,
    TownFactory,
    UserFactory,
    id_number,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def street():
    return TownFactory(name="沧浪街道")


@pytest.fixture
def staff(street):
    return StaffFactory(role=Role.STREET_STAFF, area=street)


@pytest.fixture
def branch(street):
    return OrganizationFactory(
        name="“苏会党员”行动党支部", area=CommunityFactory(parent=street, name="道前社区")
    )


def enrol(staff, branch, **more):
    values = {
        "name": "周建华",
        "id_number": id_number(1),
        "status": MemberStatus.FULL,
        "organization": branch,
    }
    values |= {"since": dt.date(2024, 1, 1), "joined_on": dt.date(2010, 7, 1)}
    return roster.enrol_member(by=staff, **(values | more))


def test_enrol_keeps_only_fingerprint_and_last4_and_reads_gender_and_birth_year(staff, branch):
    member = enrol(staff, branch)
    assert member.id_number_last4 == id_number(1)[-4:]
    assert id_number(1) not in member.id_number_hash
    assert (member.gender, member.birth_year) == ("male", 1980)
    assert member.masked_id_number == "*" * 14 + member.id_number_last4
    (membership,) = member.memberships.all()
    assert (membership.organization, membership.since, membership.until) == (
        branch,
        dt.date(2024, 1, 1),
        None,
    )


def test_enrol_refuses_a_number_already_on_the_roster(staff, branch):
    enrol(staff, branch)
    with pytest.raises(ValidationError) as refused:
        enrol(staff, branch, name="另一人")
    assert "已登记" in refused.value.message_dict["id_number"][0]


def test_enrol_refuses_an_organisation_outside_the_staff_area(branch):
    other = StaffFactory(role=Role.STREET_STAFF, area=TownFactory(name="双塔街道"))
    with pytest.raises(ValidationError) as refused:
        enrol(other, branch)
    assert "管辖范围" in refused.value.message_dict["organization"][0]
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("more", "field"),
    [
        ({"id_number": "110105194912310021"}, "id_number"),
        ({"status": MemberStatus.PROBATIONARY, "confirmed_on": dt.date(2012, 1, 1)}, "confirmed_on"),
        ({"joined_on": dt.date(2099, 1, 1)}, "joined_on"),
        ({"since": dt.date(2099, 1, 1)}, "since"),
        ({"phone": "电话"}, "phone"),
    ],
)
def test_enrol_refuses_bad_values_by_field(staff, branch, more, field):
    with pytest.raises(ValidationError) as refused:
        enrol(staff, branch, **more)
    assert field in refused.value.message_dict
    assert not Member.objects.exists()


def test_a_group_must_be_under_the_members_organisation(staff, branch):
    elsewhere = OrganizationFactory(kind=OrganizationKind.GROUP, area=branch.area)
    with pytest.raises(ValidationError) as refused:
        enrol(staff, branch, group=elsewhere)
    assert "党小组" in refused.value.message_dict["group"][0]


def test_move_closes_the_old_membership_opens_the_new_and_keeps_history(staff, branch):
    member = enrol(staff, branch)
    target = OrganizationFactory(name="道前社区第二党支部", area=branch.area)
    group = OrganizationFactory(kind=OrganizationKind.GROUP, parent=target, area=branch.area)
    roster.move_member(member=member, by=staff, to=target, group=group, on=dt.date(2025, 3, 1))
    member.refresh_from_db()
    assert (member.organization, member.group) == (target, group)
    old, new = member.memberships.order_by("since")
    assert (old.organization, old.until) == (branch, dt.date(2025, 3, 1))
    assert (new.organization, new.group, new.since, new.until) == (target, group, dt.date(2025, 3, 1), None)


def test_move_refusals(staff, branch):
    member = enrol(staff, branch)
    outside = OrganizationFactory(area=CommunityFactory(parent=TownFactory(name="双塔街道")))
    with pytest.raises(ValidationError) as refused:
        roster.move_member(member=member, by=staff, to=outside, on=dt.date(2025, 3, 1))
    assert "to" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        roster.move_member(member=member, by=staff, to=branch, on=dt.date(2025, 3, 1))
    assert "无需转接" in refused.value.message_dict["to"][0]
    target = OrganizationFactory(area=branch.area)
    with pytest.raises(ValidationError) as refused:
        roster.move_member(member=member, by=staff, to=target, on=dt.date(2023, 1, 1))
    assert "不能早于" in refused.value.message_dict["on"][0]
    assert member.memberships.count() == 1


def test_confirm_needs_a_full_year_of_probation_and_a_probationary_member(staff, branch):
    member = enrol(staff, branch, status=MemberStatus.PROBATIONARY, joined_on=dt.date(2024, 6, 1))
    with pytest.raises(ValidationError) as refused:
        roster.confirm_member(member=member, by=staff, on=dt.date(2025, 5, 31))
    assert "2025-06-01" in refused.value.message_dict["on"][0]
    roster.confirm_member(member=member, by=staff, on=dt.date(2025, 6, 1))
    member.refresh_from_db()
    assert (member.status, member.confirmed_on) == (MemberStatus.FULL, dt.date(2025, 6, 1))
    with pytest.raises(ValidationError) as refused:
        roster.confirm_member(member=member, by=staff, on=dt.date(2025, 7, 1))
    assert "已是正式党员" in refused.value.message_dict["status"][0]


def test_edit_changes_only_plain_facts(staff, branch):
    member = enrol(staff, branch)
    roster.edit_member(member=member, by=staff, changes={"workplace": "苏州会议中心 水电工"})
    member.refresh_from_db()
    assert member.workplace == "苏州会议中心 水电工"
    with pytest.raises(ValidationError) as refused:
        roster.edit_member(member=member, by=staff, changes={"status": MemberStatus.PROBATIONARY})
    assert "status" in refused.value.message_dict


def test_reporting_one_active_grid_in_the_community_and_end(staff, branch):
    member = enrol(staff, branch)
    community = branch.area
    grid = GridFactory(parent=community)
    reporting = roster.report_to_community(
        member=member, by=staff, community=community, grid=grid, since=dt.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        roster.report_to_community(member=member, by=staff, community=community, since=dt.date(2025, 2, 1))
    assert "先结束原报到" in refused.value.message_dict["community"][0]
    with pytest.raises(ValidationError) as refused:
        roster.end_reporting(reporting=reporting, by=staff, on=dt.date(2024, 12, 1))
    assert "不能早于" in refused.value.message_dict["until"][0]
    roster.end_reporting(reporting=reporting, by=staff, on=dt.date(2025, 6, 30))
    other_grid = GridFactory(parent=CommunityFactory(parent=community.parent))
    with pytest.raises(ValidationError) as refused:
        roster.report_to_community(
            member=member, by=staff, community=community, grid=other_grid, since=dt.date(2025, 7, 1)
        )
    assert "网格" in refused.value.message_dict["grid"][0]
    roster.report_to_community(member=member, by=staff, community=community, since=dt.date(2025, 7, 1))
    assert member.reportings.count() == 2 and member.reportings.active().count() == 1


def test_the_member_themself_or_the_communitys_staff_may_report_and_no_one_else(branch):
    account = UserFactory(role=Role.MEMBER)
    member = MemberFactory(organization=branch)
    Member.objects.filter(pk=member.pk).update(user=account)
    member.refresh_from_db()
    target = CommunityFactory(name="联青社区")
    roster.report_to_community(member=member, by=account, community=target, since=dt.date(2025, 1, 1))
    stranger = StaffFactory(area=CommunityFactory(name="嘉业阳光城社区"))
    with pytest.raises(ValidationError):
        roster.end_reporting(reporting=member.reportings.get(), by=stranger, on=dt.date(2025, 2, 1))
    target_staff = StaffFactory(area=target)
    roster.end_reporting(reporting=member.reportings.get(), by=target_staff, on=dt.date(2025, 2, 1))


# --- what the database itself refuses (on SQLite and PostgreSQL alike) ---


def test_the_database_allows_one_active_membership_per_member(branch):
    member = MemberFactory(organization=branch)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(member=member, organization=branch, since=dt.date(2025, 1, 1))


def test_the_database_allows_one_active_reporting_per_member(branch):
    member = MemberFactory(organization=branch)
    CommunityReporting.objects.create(member=member, community=branch.area, since=dt.date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityReporting.objects.create(member=member, community=branch.area, since=dt.date(2025, 1, 2))
    # An ended one beside the active one is history, allowed.
    CommunityReporting.objects.create(
        member=member, community=branch.area, since=dt.date(2024, 1, 1), until=dt.date(2024, 6, 1)
    )


@pytest.mark.parametrize("model", [Membership, CommunityReporting])
def test_the_database_refuses_an_end_before_the_start(branch, model):
    member = MemberFactory(organization=branch)
    where = {"organization": branch} if model is Membership else {"community": branch.area}
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(member=member, since=dt.date(2025, 1, 2), until=dt.date(2025, 1, 1), **where)


def test_the_database_refuses_two_members_with_one_id_number(branch):
    member = MemberFactory(organization=branch)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            name="重复", status=MemberStatus.FULL, organization=branch, id_number_hash=member.id_number_hash
        )


def test_the_access_log_is_append_only_in_the_database(staff):
    entry = roster.log_access(user=staff, kind=AccessKind.EXPORT, what="导出", count=3)
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=entry.pk).update(count=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalDataAccess.objects.all().delete()
    assert PersonalDataAccess.objects.get().count == 3
