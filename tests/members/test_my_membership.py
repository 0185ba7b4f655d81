"""我的党员档案 (/me/party/): a party member with a login sees their own record: 组织关系 history,
reporting, and when they also volunteer their points and services; no one else's; constant queries."""

import datetime as dt

import pytest
from django.urls import reverse

from members import roster
from members.models import Member, OrganizationKind, Role
from tests.factories import (
    CommunityFactory,
    GridFactory,
    MemberFactory,
    OrganizationFactory,
    PointRuleFactory,
    ServiceRecordFactory,
    TownFactory,
    UserFactory,
    VolunteerFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("members:my-membership")


@pytest.fixture
def member():
    street = TownFactory(name="沧浪街道")
    old = OrganizationFactory(name="苏州会议中心党支部", area=CommunityFactory(parent=street))
    new = OrganizationFactory(name="“苏会党员”行动党支部", area=CommunityFactory(parent=street))
    group = OrganizationFactory(name="便民服务党小组", kind=OrganizationKind.GROUP, parent=new, area=new.area)
    user = UserFactory(role=Role.MEMBER, username="jiang")
    member = MemberFactory(name="蒋文博", organization=old, since=dt.date(2015, 3, 1))
    Member.objects.filter(pk=member.pk).update(user=user)  # the admin links a member to their login
    member.refresh_from_db()
    admin = UserFactory.build(is_superuser=True)
    roster.move_member(member=member, by=admin, to=new, group=group, on=dt.date(2021, 3, 1))
    home = CommunityFactory(parent=street, name="道前社区")
    roster.report_to_community(
        member=member,
        by=user,
        community=home,
        grid=GridFactory(parent=home, name="第一网格"),
        since=dt.date(2021, 4, 1),
    )
    return member


def test_a_member_sees_their_organisation_history_and_reporting(client, member):
    client.force_login(member.user)
    page = client.get(URL).content.decode()
    assert "蒋文博" in page and "正式党员" in page
    assert "苏州会议中心党支部" in page and "2021-03-01 转出" in page
    assert "便民服务党小组" in page and "2021-03-01 转入，至今" in page
    assert "道前社区（沧浪街道） · 第一网格" in page and "2021-04-01 报到，服务中" in page
    assert 'id="volunteer"' not in page
    me = client.get(reverse("members:me")).content.decode()
    assert reverse("members:my-membership") in me and reverse("volunteers:me") not in me


def test_a_member_who_volunteers_sees_points_and_services_linked_to_the_volunteer_record(client, member):
    volunteer = VolunteerFactory(member=member, user=member.user, community=member.reportings.get().community)
    rule = PointRuleFactory()
    ServiceRecordFactory(volunteer=volunteer, rule=rule)
    ServiceRecordFactory(volunteer=volunteer, rule=rule, status="verified", points=20)
    client.force_login(member.user)
    page = client.get(URL).content.decode()
    assert "服务记录 2 条，其中已通过 1 条" in page and reverse("volunteers:me") in page
    assert reverse("volunteers:me") in client.get(reverse("members:me")).content.decode()


def test_an_account_without_a_member_record_is_told_why(client):
    client.force_login(UserFactory(role=Role.MEMBER))
    response = client.get(URL)
    assert response.status_code == 403 and "尚未关联党员档案" in response.content.decode()
    client.logout()
    assert client.get(URL).status_code == 302  # to the login page


def test_the_page_is_constant_in_queries(client, member, django_assert_num_queries):
    VolunteerFactory(member=member, user=member.user)
    client.force_login(member.user)
    client.get(URL)
    # session, user, the header's counts, member, memberships, reportings, volunteer with its counts
    with django_assert_num_queries(7):
        assert client.get(URL).status_code == 200
    admin = UserFactory.build(is_superuser=True)
    for n, org in enumerate([OrganizationFactory(area=member.organization.area) for _ in range(3)]):
        roster.move_member(member=member, by=admin, to=org, on=dt.date(2022, 1, 1 + n))
    with django_assert_num_queries(7):
        assert client.get(URL).status_code == 200
