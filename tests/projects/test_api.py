"""The projects API: scoped lists with pinned query counts, editing, expense upload, the schema."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from projects.models import Project, Status
from tests.factories import (
    CommunityFactory,
    CommunityFundFactory,
    ProjectFactory,
    receipt_file,
)

from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("route", "factory"),
    [("projects:api-project-list", ProjectFactory), ("projects:api-fund-list", CommunityFundFactory)],
)
def test_lists_are_scoped_with_constant_queries(
    town, street_staff, route, factory, django_assert_num_queries
):
    client = client_for(street_staff)
    factory(community=CommunityFactory(parent=town))
    factory(community=CommunityFactory())  # another street's
    # session, user, user.area, count, rows (+ partners and needs prefetches for projects)
    expected = 7 if factory is ProjectFactory else 5
    with django_assert_num_queries(expected):
        first = client.get(reverse(route)).json()
    assert first["count"] == 1
    for _ in range(5):
        factory(community=CommunityFactory(parent=town))
    with django_assert_num_queries(expected):
        assert client.get(reverse(route)).json()["count"] == 6


def test_anonymous_gets_401_or_403():
    assert Client().get(reverse("projects:api-project-list")).status_code in (401, 403)


def test_expense_upload_via_api(community, community_staff):
    project = ProjectFactory(community=community, status=Status.IN_PROGRESS, budget=Decimal("3000.00"))
    client = client_for(community_staff)
    data = {
        "project": project.pk,
        "date": "2025-05-01",
        "payee": "某公司",
        "amount": "100",
        "purpose": "茶歇",
    }
    bad = client.post(
        reverse("projects:api-expense-list"), {**data, "receipt": receipt_file("x.pdf", b"hello")}
    )
    assert bad.status_code == 400
    assert "票据只能是 PDF、JPG 或 PNG 文件" in str(bad.json())
    good = client.post(reverse("projects:api-expense-list"), {**data, "receipt": receipt_file()})
    assert good.status_code == 201, good.json()
    assert good.json()["receipt_url"] == reverse("projects:expense-receipt", args=[good.json()["id"]])


def test_expense_on_another_areas_project_refused(community, other_street_staff):
    project = ProjectFactory(community=community, status=Status.IN_PROGRESS)
    response = client_for(other_street_staff).post(
        reverse("projects:api-expense-list"),
        {
            "project": project.pk,
            "date": "2025-05-01",
            "payee": "某",
            "amount": "1",
            "purpose": "x",
            "receipt": receipt_file(),
        },
    )
    assert response.status_code == 400
    assert "不在您的负责区域内" in str(response.json())


def test_community_staff_create_project_via_api(community, community_staff, street_staff):
    data = {"year": 2025, "title": "5+共建会", "category": "self_governance", "budget": "15000"}
    response = client_for(community_staff).post(reverse("projects:api-project-list"), data)
    assert response.status_code == 201
    assert response.json()["community"] == community.pk
    assert response.json()["status"] == "surveying"
    assert client_for(street_staff).post(reverse("projects:api-project-list"), data).status_code == 403
    # A year the 公示 pages can't show would leave the project unpublishable.
    old = client_for(community_staff).post(reverse("projects:api-project-list"), {**data, "year": 1800})
    assert old.status_code == 400 and "2000" in old.json()["year"][0]


def test_community_staff_edit_a_project_via_api_under_the_pages_rules(
    community, community_staff, street_staff, other_street_staff
):
    project = ProjectFactory(community=community, status=Status.DEFINED, budget=Decimal("10000"))
    url = reverse("projects:api-project-detail", args=[project.pk])
    mine = client_for(community_staff)
    patch = {"content_type": "application/json"}
    response = mine.patch(url, {"title": "博士阳光讲坛", "budget": "12000"}, **patch)
    assert response.status_code == 200 and response.json()["budget"] == "12000.00"
    assert client_for(street_staff).patch(url, {"title": "改名"}, **patch).status_code == 403
    assert client_for(other_street_staff).patch(url, {"title": "改名"}, **patch).status_code == 404
    Project.objects.filter(pk=project.pk).update(status=Status.FILED)  # the plan is what was approved
    refused = mine.patch(url, {"budget": "50000", "description": "增加场次"}, **patch)
    assert refused.status_code == 400
    assert refused.json() == {"budget": ["已报街道审核备案，不能再修改。"]}
    assert mine.patch(url, {"description": "增加场次"}, **patch).status_code == 200
    project.refresh_from_db()
    assert project.title == "博士阳光讲坛" and project.budget == Decimal("12000")
    assert project.description == "增加场次"
    Project.objects.filter(pk=project.pk).update(status=Status.PUBLISHED)
    assert mine.patch(url, {"description": "公示后再改"}, **patch).status_code == 403


def test_schema_lists_the_endpoints():
    schema = Client().get(reverse("api-schema")).content.decode()
    for path in ["/api/projects/{id}/advance/", "/api/funds/", "/api/expenses/{id}/approve/"]:
        assert path in schema


def test_an_expense_without_an_amount_is_a_chinese_field_error(community, community_staff):
    # Expense.amount's default=None (no default) read to DRF as "optional": submit_expense got no amount.
    project = ProjectFactory(community=community, status=Status.IN_PROGRESS)
    data = {"project": project.pk, "date": "2025-05-01", "payee": "某公司", "purpose": "茶歇"}
    response = client_for(community_staff).post(
        reverse("projects:api-expense-list"), {**data, "receipt": receipt_file()}
    )
    assert response.status_code == 400 and response.json() == {"amount": ["该字段是必填项。"]}
    assert not project.expenses.exists()
