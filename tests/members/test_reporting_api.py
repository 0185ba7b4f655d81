"""`/api/reportings/` (在职党员报到): the community's staff see who reported there, the member's workplace
branch sees where its members serve, a member with a login their own; create and end go through
members/roster.py; bad input is a Chinese 400; the list is a constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from members import roster
from members.models import CommunityReporting, Member, Role
from tests.factories import (
    CommunityFactory,
    GridFactory,
    MemberFactory,
    OrganizationFactory,
    StaffFactory,
    TownFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("members:api-reporting-list")


@pytest.fixture
def world():
    """A workplace branch in 狮山街道 whose members live in 道前社区 of 沧浪街道."""
    home = CommunityFactory(parent=TownFactory(name="沧浪街道"), name="道前社区")
    work_street = TownFactory(name="狮山街道")
    branch = OrganizationFactory(name="“苏会党员”行动党支部", area=CommunityFactory(parent=work_street))
    return {
        "home": home,
        "grid": GridFactory(parent=home, name="道前社区第一网格"),
        "branch": branch,
        "home_staff": StaffFactory(area=home),
        "branch_staff": StaffFactory(role=Role.STREET_STAFF, area=work_street),
        "stranger": StaffFactory(area=CommunityFactory(name="联青社区")),
    }


def report(world, n=1):
    return [
        roster.report_to_community(
            member=MemberFactory(organization=world["branch"]),
            by=world["branch_staff"],
            community=world["home"],
            since=dt.date(2025, 3, 1),
        )
        for _ in range(n)
    ]


def names(response):
    return sorted(r["member_name"] for r in response.json()["results"])


def test_the_community_and_the_workplace_branch_see_it_a_stranger_does_not(client, world):
    (reporting,) = report(world)
    for who, side in (("home_staff", "here"), ("branch_staff", "ours")):
        client.force_login(world[who])
        assert names(client.get(LIST)) == [reporting.member.name]
        assert names(client.get(LIST, {"side": side})) == [reporting.member.name]
    client.force_login(world["home_staff"])
    assert names(client.get(LIST, {"side": "ours"})) == []  # not the community's own members
    client.force_login(world["stranger"])
    assert names(client.get(LIST)) == []
    assert client.get(reverse("members:api-reporting-detail", args=[reporting.pk])).status_code == 404


def test_a_member_with_a_login_sees_and_makes_their_own(client, world):
    user = UserFactory(role=Role.MEMBER)
    member = MemberFactory(organization=world["branch"])
    Member.objects.filter(pk=member.pk).update(user=user)  # the admin links a member to their login
    report(world)  # someone else's
    client.force_login(user)
    body = {"member": member.pk, "community": world["home"].pk, "grid": world["grid"].pk}
    response = client.post(LIST, body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    shown = (data["community_name"], data["grid_name"], data["until"])
    assert shown == ("道前社区", "道前社区第一网格", None)
    assert names(client.get(LIST)) == [member.name]


def test_create_and_end_through_the_roster(client, world):
    member = MemberFactory(organization=world["branch"])
    client.force_login(world["branch_staff"])
    body = {"member": member.pk, "community": world["home"].pk, "since": "2025-03-01"}
    created = client.post(LIST, body, content_type="application/json")
    assert created.status_code == 201, created.content
    again = client.post(LIST, body, content_type="application/json")
    assert again.status_code == 400 and "请先结束原报到" in again.content.decode()
    end = reverse("members:api-reporting-end", args=[created.json()["id"]])
    ended = client.post(end, {"until": "2025-06-30"}, content_type="application/json")
    assert ended.status_code == 200 and ended.json()["until"] == "2025-06-30"
    assert client.post(end, {}, content_type="application/json").status_code == 400
    assert names(client.get(LIST, {"active": "false"})) == [member.name]
    assert names(client.get(LIST, {"active": "true"})) == []
    reporting = CommunityReporting.objects.get()
    assert (reporting.since, reporting.until) == (dt.date(2025, 3, 1), dt.date(2025, 6, 30))


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"member": "drop"}, "member", "请选择报到的党员"),
        ({"member": 0}, "member", "不存在或不在您的管辖范围内"),
        ({"community": 0}, "community", "村/社区 0 不存在"),
        ({"community": "abc"}, "community", "应填编号"),
        ({"grid": "grid-of-another"}, "grid", "下的网格"),
        ({"since": "2999-01-01"}, "since", "不能晚于今天"),
        ({"since": "1900-01-01"}, "since", "不能早于 1921 年"),
    ],
)
def test_bad_input_is_a_chinese_400_and_writes_nothing(client, world, body, field, message):
    member = MemberFactory(organization=world["branch"])
    full = {"member": member.pk, "community": world["home"].pk} | body
    if full.get("grid") == "grid-of-another":
        full["grid"] = GridFactory(parent=CommunityFactory()).pk
    if full["member"] == "drop":
        del full["member"]
    client.force_login(world["branch_staff"])
    response = client.post(LIST, full, content_type="application/json")
    assert response.status_code == 400
    assert message in "".join(response.json()[field])
    assert not CommunityReporting.objects.exists()


def test_a_stranger_may_not_report_someone_elses_member(client, world):
    member = MemberFactory(organization=world["branch"])
    client.force_login(world["stranger"])
    body = {"member": member.pk, "community": world["home"].pk}
    assert client.post(LIST, body, content_type="application/json").status_code == 400
    assert not CommunityReporting.objects.exists()


def test_unknown_or_bad_filters_are_400(client, world):
    client.force_login(world["home_staff"])
    assert "未知的查询参数" in client.get(LIST, {"sid": "here"}).content.decode()
    assert client.get(LIST, {"side": "all"}).status_code == 400
    assert client.get(LIST, {"active": "maybe"}).status_code == 400


def test_the_list_is_constant_in_queries(client, world, django_assert_num_queries):
    report(world, 2)
    client.force_login(world["home_staff"])
    client.get(LIST)
    with django_assert_num_queries(5):  # session, user, their area, count, page
        assert len(client.get(LIST).json()["results"]) == 2
    report(world, 3)
    with django_assert_num_queries(5):
        assert len(client.get(LIST).json()["results"]) == 5


def test_the_reporting_api_is_in_the_schema(client):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/reportings/" in schema and "/api/reportings/{id}/end/" in schema
