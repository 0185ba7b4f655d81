"""The roster's staff pages, its export, its admin and its API: scoped, masked, logged, constant queries."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members import roster
from members.models import AccessKind, Member, MemberStatus, PersonalDataAccess, Role
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
def community(street):
    return CommunityFactory(parent=street, name="道前社区")


@pytest.fixture
def branch(community):
    return OrganizationFactory(name="“苏会党员”行动党支部", area=community)


@pytest.fixture
def staff(street):
    return StaffFactory(role=Role.STREET_STAFF, area=street)


@pytest.fixture
def other_street_staff():
    return StaffFactory(role=Role.STREET_STAFF, area=TownFactory(name="双塔街道"))


def members(branch, n, start=0):
    return [
        MemberFactory(organization=branch, id_number=id_number(start + i), phone=f"139123400{i:02d}")
        for i in range(n)
    ]


# --- the roster page and its export ---


def test_the_roster_lists_the_area_masked_and_in_constant_queries(
    client, staff, branch, django_assert_num_queries
):
    first, *_ = members(branch, 3)
    MemberFactory(organization=OrganizationFactory(area=CommunityFactory(name="联青社区")), name="外区党员")
    client.force_login(staff)
    url = reverse("members:member-list")
    with django_assert_num_queries(6):  # session, user, their area, 待办 count, count, page
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert first.name in page and "外区党员" not in page
    assert "139****0000" in page and "13912340000" not in page
    members(branch, 5, start=10)
    with django_assert_num_queries(6):
        client.get(url)


def test_the_roster_filters_by_status_organisation_and_name(client, staff, branch):
    MemberFactory(organization=branch, name="周建华")
    MemberFactory(
        organization=branch, name="顾晓雯", status=MemberStatus.PROBATIONARY, joined_on=dt.date(2025, 7, 1)
    )
    other = OrganizationFactory(area=branch.area, name="道前社区第二党支部")
    MemberFactory(organization=other, name="钱立新")
    client.force_login(staff)
    url = reverse("members:member-list")
    page = client.get(url, {"status": "probationary"}).content.decode()
    assert "顾晓雯" in page and "周建华" not in page
    page = client.get(url, {"organization": "第二"}).content.decode()
    assert "钱立新" in page and "周建华" not in page
    page = client.get(url, {"q": "建华"}).content.decode()
    assert "周建华" in page and "钱立新" not in page
    assert client.get(url, {"status": "bogus"}).status_code == 400
    assert client.get(url, {"page": "99"}).status_code == 400


def test_residents_and_organisers_may_not_open_the_roster(client):
    client.force_login(UserFactory())
    assert client.get(reverse("members:member-list")).status_code == 403


def test_every_export_is_in_the_access_log_with_its_filters(client, staff, branch):
    members(branch, 2)
    client.force_login(staff)
    response = client.get(reverse("members:member-export"), {"status": "full"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and len(rows) == 3
    assert "13912340000" in {row[9] for row in rows}
    assert all(id_number(i) not in str(rows) for i in range(2))
    (entry,) = PersonalDataAccess.objects.all()
    assert (entry.user, entry.kind, entry.count) == (staff, AccessKind.EXPORT, 2)
    assert entry.filters == {"area": staff.area.pk, "status": "full"}


def test_another_streets_staff_export_nothing_of_ours(client, other_street_staff, branch):
    members(branch, 2)
    client.force_login(other_street_staff)
    response = client.get(reverse("members:member-export"))
    assert len(list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows())) == 1
    assert PersonalDataAccess.objects.get().count == 0


# --- the reporting list ---


def test_the_reporting_list_shows_who_reported_here_and_where_our_members_serve(
    client, community, branch, django_assert_num_queries
):
    here_staff = StaffFactory(area=community)
    grid = GridFactory(parent=community, name="道前第一网格")
    ours = MemberFactory(organization=branch, name="周建华")
    roster.report_to_community(
        member=ours, by=here_staff, community=community, grid=grid, since=dt.date(2025, 1, 1)
    )
    far = CommunityFactory(name="联青社区")
    away = MemberFactory(organization=branch, name="沈丽娟")
    roster.report_to_community(member=away, by=here_staff, community=far, since=dt.date(2025, 1, 1))
    visitor = MemberFactory(organization=OrganizationFactory(area=far), name="陆明")
    roster.report_to_community(
        member=visitor, by=StaffFactory(area=far), community=community, since=dt.date(2025, 1, 1)
    )
    unrelated = MemberFactory(organization=OrganizationFactory(area=far), name="钱立新")
    roster.report_to_community(
        member=unrelated, by=StaffFactory(area=far), community=far, since=dt.date(2025, 1, 1)
    )

    client.force_login(here_staff)
    url = reverse("members:reporting-list")
    with django_assert_num_queries(6):  # session, user, their area, 待办 count, count, page
        page = client.get(url).content.decode()
    assert all(name in page for name in ("周建华", "沈丽娟", "陆明")) and "钱立新" not in page
    assert "道前第一网格" in page
    here = client.get(url, {"side": "here"}).content.decode()
    assert "陆明" in here and "沈丽娟" not in here
    ours_only = client.get(url, {"side": "ours"}).content.decode()
    assert "沈丽娟" in ours_only and "陆明" not in ours_only


# --- the admin ---


def test_the_admin_changelist_is_scoped_masked_and_constant(client, staff, branch, django_assert_num_queries):
    members(branch, 3)
    client.force_login(staff)
    url = reverse("admin:members_member_changelist")
    response = client.get(url)
    assert response.status_code == 200 and "139****0000" in response.content.decode()
    members(branch, 4, start=10)
    # session, user, their area, count, the permissions of the user and of their groups, the page
    with django_assert_num_queries(7):
        client.get(url)


def test_another_streets_member_is_a_404_in_the_admin_and_the_api(client, other_street_staff, branch):
    member = MemberFactory(organization=branch)
    client.force_login(other_street_staff)
    assert client.get(reverse("admin:members_member_change", args=[member.pk])).status_code == 404
    assert client.get(reverse("members:api-member-detail", args=[member.pk])).status_code == 404


def test_a_full_phone_on_the_admin_change_page_is_logged(client, staff, branch):
    member = MemberFactory(organization=branch, phone="13912345678")
    client.force_login(staff)
    page = client.get(reverse("admin:members_member_change", args=[member.pk])).content.decode()
    assert "13912345678" in page and id_number(0) not in page
    entry = PersonalDataAccess.objects.get()
    assert (entry.kind, entry.member_ids, entry.user) == (AccessKind.UNMASKED_VIEW, [member.pk], staff)


def test_the_admin_moves_a_member_through_the_domain_function(client, staff, branch):
    member = MemberFactory(organization=branch, name="周建华")
    target = OrganizationFactory(area=branch.area, name="道前社区第二党支部")
    client.force_login(staff)
    url = reverse("admin:members_member_change", args=[member.pk])
    data = {
        "name": "周建华",
        "phone": "",
        "status": "full",
        "joined_on": "2010-07-01",
        "organization": str(target.pk),
        "moved_on": "2025-03-01",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.organization == target
    assert [m.until for m in member.memberships.order_by("since")] == [dt.date(2025, 3, 1), None]


def test_the_access_log_is_for_superusers_only_and_read_only(client, staff):
    roster.log_access(user=staff, kind=AccessKind.EXPORT, what="党员名册导出", count=2)
    client.force_login(staff)
    assert client.get(reverse("admin:members_personaldataaccess_changelist")).status_code == 403
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:members_personaldataaccess_changelist"))
    assert response.status_code == 200 and "党员名册导出" in response.content.decode()
    entry = PersonalDataAccess.objects.get()
    response = client.post(
        reverse("admin:members_personaldataaccess_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 403 and PersonalDataAccess.objects.exists()


# --- the API ---


def test_the_api_lists_masked_members_in_constant_queries(client, staff, branch, django_assert_num_queries):
    members(branch, 3)
    client.force_login(staff)
    url = reverse("members:api-member-list")
    with django_assert_num_queries(5):  # session, user, their area, count, page
        data = client.get(url).json()
    first = data["results"][0]
    assert first["phone"] == "139****0000" and first["id_number_last4"] == id_number(0)[-4:]
    assert "id_number" not in first and "id_number_hash" not in first
    members(branch, 3, start=10)
    with django_assert_num_queries(5):
        client.get(url)


def test_the_api_enrols_edits_moves_and_confirms(client, staff, branch):
    client.force_login(staff)
    body = {
        "name": "顾晓雯",
        "id_number": id_number(7),
        "status": "probationary",
        "organization": branch.pk,
        "joined_on": "2024-06-01",
        "since": "2024-06-01",
    }
    response = client.post(reverse("members:api-member-list"), body, content_type="application/json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    detail = reverse("members:api-member-detail", args=[pk])
    response = client.patch(detail, {"workplace": "苏州会议中心"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["workplace"] == "苏州会议中心"
    target = OrganizationFactory(area=branch.area)
    move = reverse("members:api-member-move", args=[pk])
    response = client.post(move, {"to": target.pk, "on": "2025-01-01"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["organization"] == target.pk
    confirm = reverse("members:api-member-confirm", args=[pk])
    response = client.post(confirm, {"on": "2025-05-01"}, content_type="application/json")
    assert response.status_code == 400 and "预备期为一年" in response.json()["on"][0]
    response = client.post(confirm, {"on": "2025-06-01"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "full"
    assert Member.objects.get(pk=pk).memberships.count() == 2


def test_the_api_refuses_bad_input_with_chinese_field_errors(client, staff, branch, other_street_staff):
    client.force_login(staff)
    url = reverse("members:api-member-list")
    body = {"name": "周建华", "id_number": "123", "status": "full", "organization": branch.pk}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "18 位" in response.json()["id_number"][0]
    outside = OrganizationFactory(area=other_street_staff.area)
    body = {**body, "id_number": id_number(1), "organization": outside.pk}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "不在您的管辖范围内" in response.json()["organization"][0]
    assert not Member.objects.exists()


def test_the_api_is_in_the_schema(client):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/members/" in schema and "/api/members/{id}/move/" in schema


def test_the_reporting_admin_is_scoped_and_constant(client, community, branch, django_assert_num_queries):
    here_staff = StaffFactory(area=community)
    for _ in range(2):
        member = MemberFactory(organization=branch)
        roster.report_to_community(
            member=member, by=here_staff, community=community, since=dt.date(2025, 1, 1)
        )
    client.force_login(here_staff)
    url = reverse("admin:members_communityreporting_changelist")
    client.get(url)
    member = MemberFactory(organization=branch)
    roster.report_to_community(member=member, by=here_staff, community=community, since=dt.date(2025, 1, 1))
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200 and member.name in response.content.decode()
    other = StaffFactory(area=CommunityFactory(name="联青社区"))
    client.force_login(other)
    reporting = member.reportings.get()
    assert (
        client.get(reverse("admin:members_communityreporting_change", args=[reporting.pk])).status_code == 404
    )
