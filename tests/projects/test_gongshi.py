"""公示 (public, no login) and the dashboards: content, no personal data, constant query counts."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Role
from projects import funds, workflow
from projects.models import Status
from tests.factories import (
    CommunityFactory,
    CommunityFundFactory,
    ExpenseFactory,
    NeedFactory,
    OrganizationFactory,
    ProjectFactory,
    StaffFactory,
)

from .conftest import client_for

pytestmark = pytest.mark.django_db

PHONE = re.compile(r"1[3-9]\d{9}|1[3-9]\d\*{4}\d{4}|\d{3}\*{4}\d{4}")


@pytest.fixture
def published(community, community_staff, street_staff):
    """A project walked through every step by the staff, with a private and an organisation payee."""
    community_staff.phone = "13812345678"
    community_staff.save()
    project = ProjectFactory(
        community=community,
        title="博士阳光讲坛",
        budget=Decimal("20000.00"),
        status=Status.SURVEYING,
        showcase=True,
    )
    project.partners.add(OrganizationFactory(name="苏州大学博士生党支部"))
    workflow.advance(
        project=project, to=Status.DEFINED, by=community_staff, comment="居民王阿姨 13900001111 提议"
    )
    workflow.advance(project=project, to=Status.FILED, by=street_staff)
    workflow.advance(project=project, to=Status.FUNDED, by=street_staff)
    workflow.advance(project=project, to=Status.IN_PROGRESS, by=community_staff)
    org = ExpenseFactory(
        project=project, payee="苏州某印务有限公司", amount=Decimal("3000.00"), submitted_by=community_staff
    )
    person = ExpenseFactory(
        project=project,
        payee="张三",
        payee_is_person=True,
        amount=Decimal("500.00"),
        submitted_by=community_staff,
    )
    for expense in (org, person):
        funds.approve_expense(expense=expense, by=street_staff)
    workflow.advance(project=project, to=Status.REIMBURSED, by=community_staff)
    project.refresh_from_db()
    project.actual_beneficiaries = 860
    project.save()
    workflow.advance(project=project, to=Status.PUBLISHED, by=community_staff)
    return project


def gongshi_url(project, suffix=""):
    name = "projects:gongshi-community" + suffix
    return reverse(name, args=[project.community_id, project.year])


def test_gongshi_page_without_login(published):
    page = Client().get(gongshi_url(published)).content.decode()
    for fact in [
        "博士阳光讲坛",
        "公共服务类",
        "20,000.00",
        "3,500.00",
        "860",
        "上报公示",
        "经费核拨",
        "苏州大学博士生党支部",
    ]:
        assert fact in page, fact
    assert "苏州某印务有限公司" in page


def test_gongshi_shows_no_personal_data(published, community_staff, street_staff):
    page = Client().get(gongshi_url(published)).content.decode()
    assert not PHONE.search(page)
    for private in ["张三", "王小红", "李建国", community_staff.username, street_staff.username, "王阿姨"]:
        assert private not in page, private
    assert "个人（依规不公开姓名）" in page


def test_csv_and_excel_downloads(published):
    response = Client().get(gongshi_url(published, "-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "项目名称"
    assert rows[1][:5] == ["博士阳光讲坛", "公共服务类", "上报公示", "20000.00", "3500.00"]
    assert "上报公示" in rows[1][8]
    assert not PHONE.search(response.content.decode("utf-8-sig"))

    response = Client().get(gongshi_url(published, "-xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A3"].value == "博士阳光讲坛"
    assert sheet["D3"].value == 20000.0


def test_downloads_keep_a_formula_like_title_as_text(published):
    published.title = '=HYPERLINK("http://evil.example/","点击查看")'
    published.save()
    rows = list(
        csv.reader(io.StringIO(Client().get(gongshi_url(published, "-csv")).content.decode("utf-8-sig")))
    )
    assert rows[1][0] == "'" + published.title
    sheet = load_workbook(io.BytesIO(Client().get(gongshi_url(published, "-xlsx")).content)).active
    assert sheet["A3"].data_type == "s" and sheet["A3"].value == "'" + published.title


def test_gongshi_query_count_is_constant(community, django_assert_num_queries):
    def add_projects(n):
        for _ in range(n):
            p = ProjectFactory(community=community)
            p.partners.add(OrganizationFactory())
            p.needs.add(NeedFactory(community=community))
            ExpenseFactory(project=p)

    add_projects(1)
    url = reverse("projects:gongshi-community", args=[community.pk, 2025])
    # community, fund, projects, steps, expenses, partners, needs, their accepted claims, photos, phone
    with django_assert_num_queries(10):
        Client().get(url)
    add_projects(8)
    with django_assert_num_queries(10):
        response = Client().get(url)
    assert response.content.decode().count("gongshi-project") == 9


@pytest.mark.parametrize(
    "url",
    [
        "/gongshi/{c}/1800/",
        "/gongshi/?year=twenty",
        "/gongshi/showcase/?year=3000",
        "/gongshi/showcase/?page=9",
        "/gongshi/?area=99999999999999999999",
    ],
)
def test_bad_public_parameters_are_400(community, url):
    response = Client().get(url.format(c=community.pk))
    assert response.status_code == 400
    assert any(word in response.content.decode() for word in ("年度", "页码", "区域编号"))


def test_area_parameter_opens_that_areas_gongshi(town):
    response = Client().get("/gongshi/", {"area": town.pk, "year": 2025})
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:gongshi-area", args=[town.pk]) + "?year=2025"


def test_non_community_is_404(town):
    assert Client().get(reverse("projects:gongshi-community", args=[town.pk, 2025])).status_code == 404


def test_showcase_page(published):
    ProjectFactory(title="普通项目")
    page = Client().get(reverse("projects:showcase")).content.decode()
    assert "博士阳光讲坛" in page and "普通项目" not in page


def dashboard_world(city_town, n):
    """n communities under the town, half with a project and a fund."""
    for i in range(n):
        c = CommunityFactory(parent=city_town)
        if i % 2 == 0:
            CommunityFundFactory(community=c, year=2025, committed=Decimal("10000.00"))
            ProjectFactory(community=c, year=2025, budget=Decimal("10000.00"), status=Status.FUNDED)


def test_public_city_dashboard_figures_and_constant_queries(town, django_assert_num_queries):
    city = town.parent.parent
    dashboard_world(town, 4)
    url = reverse("projects:gongshi-index") + "?year=2025"
    with django_assert_num_queries(6):  # city, communities, funds, projects, children, idle
        response = Client().get(url)
    summary = response.context["summary"]
    assert summary.area == city
    assert summary.total.communities == 4 and summary.total.not_started == 2
    assert summary.total.fund_total == Decimal("800000.00")
    assert summary.total.committed == Decimal("20000.00")
    assert summary.total.committed_percent == 2.5
    dashboard_world(town, 20)
    with django_assert_num_queries(6):
        response = Client().get(url)
    assert response.context["summary"].total.communities == 24
    assert "dashboard-data" in response.content.decode()


def test_staff_dashboard_is_scoped(town, street_staff, other_street_staff, django_assert_num_queries):
    dashboard_world(town, 4)
    client = client_for(street_staff)
    # session, user, area + ancestors, roll-ups, the demands' figures (demands, evaluations), header 待办
    with django_assert_num_queries(12):
        response = client.get(reverse("projects:dashboard") + "?year=2025")
    summary = response.context["summary"]
    assert summary.area == town and len(summary.children) == 4
    assert [f.projects for _, f in summary.children] == [1, 0, 1, 0]
    other = client_for(other_street_staff).get(reverse("projects:dashboard") + f"?area={town.pk}")
    assert other.status_code == 404


def test_district_admin_dashboard(town):
    admin = StaffFactory(role=Role.DISTRICT_ADMIN, area=town.parent)
    dashboard_world(town, 2)
    response = client_for(admin).get(reverse("projects:dashboard") + "?year=2025")
    assert response.context["summary"].children[0][1].projects == 1
