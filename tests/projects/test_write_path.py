"""One write path: pages, API and admin hand their input to planning.py / funds.py, which write only the
columns they own, so an edit can never undo a step or an approved expense."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import funds, planning
from projects.models import CommunityFund, Expense, ExpenseStatus, Project, Status
from tests.factories import CommunityFundFactory, ExpenseFactory, ProjectFactory, UserFactory

from .conftest import client_for
from .test_admin import _posted

pytestmark = pytest.mark.django_db


def project_updates(queries):
    """The SET clauses of the UPDATEs sent to the project table."""
    table = Project._meta.db_table
    return [
        q["sql"].split(" SET ", 1)[1].split(" WHERE ", 1)[0]
        for q in queries
        if q["sql"].startswith("UPDATE") and f'"{table}"' in q["sql"].split(" SET ", 1)[0]
    ]


@pytest.fixture
def running(community, street_staff):
    """A project in 组织实施 with 10,000 元 committed and one expense waiting for the street."""
    CommunityFundFactory(community=community, year=2025, committed=Decimal("10000.00"))
    project = ProjectFactory(community=community, status=Status.IN_PROGRESS, budget=Decimal("10000.00"))
    expense = ExpenseFactory(project=project, amount=Decimal("600.00"))
    return project, expense


def test_an_edit_from_a_stale_copy_keeps_what_happened_meanwhile(running, community_staff, street_staff):
    project, expense = running
    stale = Project.objects.get(pk=project.pk)  # read when the edit page was opened
    funds.approve_expense(expense=expense, by=street_staff)
    planning.edit_project(project=stale, by=community_staff, changes={"description": "补充说明"})
    project.refresh_from_db()
    assert (project.spent, project.status, project.description) == (
        Decimal("600.00"),
        Status.IN_PROGRESS,
        "补充说明",
    )


def test_the_edit_page_updates_only_the_edited_columns(running, community_staff):
    project, _ = running
    url = reverse("projects:project-edit", args=[project.pk])
    client = client_for(community_staff)
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "partners"}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {**data, "description": "新的项目内容"})
    assert response.status_code == 302
    [columns] = project_updates(queries)
    assert '"description"' in columns and '"updated_at"' in columns
    assert '"status"' not in columns and '"spent"' not in columns and '"budget"' not in columns


def test_the_api_patch_updates_only_the_edited_columns(running, community_staff):
    project, _ = running
    with CaptureQueriesContext(connection) as queries:
        response = client_for(community_staff).patch(
            reverse("projects:api-project-detail", args=[project.pk]),
            {"description": "新的项目内容", "expected_beneficiaries": 321},
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    [columns] = project_updates(queries)
    assert '"status"' not in columns and '"spent"' not in columns and '"expected_beneficiaries"' in columns


def test_the_admin_updates_only_the_edited_columns(running, community_staff):
    project, _ = running
    url = reverse("admin:projects_project_change", args=[project.pk])
    client = client_for(community_staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {**_posted(client, url), "description": "新的项目内容"})
    assert response.status_code == 302, response.content.decode()[:1500]
    [columns] = project_updates(queries)
    assert '"status"' not in columns and '"spent"' not in columns and '"description"' in columns


def test_street_staff_cannot_add_or_delete_projects_in_the_admin(community, street_staff, community_staff):
    draft = ProjectFactory(community=community, status=Status.SURVEYING)
    street = client_for(street_staff)
    assert street.get(reverse("admin:projects_project_add")).status_code == 403
    assert (
        street.post(reverse("admin:projects_project_delete", args=[draft.pk]), {"post": "yes"}).status_code
        == 403
    )
    changelist = street.get(reverse("admin:projects_project_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    assert Project.objects.filter(pk=draft.pk).exists()


def test_community_staff_add_in_the_admin_and_delete_only_an_untouched_draft(community, community_staff):
    client = client_for(community_staff)
    response = client.post(
        reverse("admin:projects_project_add"),
        {
            "community": community.pk, "year": 2025, "title": "关爱老人、情暖夕阳",
            "category": "public_service", "budget": "8000.00", "expected_beneficiaries": 120,
            "photos-TOTAL_FORMS": 0, "photos-INITIAL_FORMS": 0,
            "steps-TOTAL_FORMS": 0, "steps-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Project.objects.get(title="关爱老人、情暖夕阳")
    assert (created.community, created.status, created.spent) == (community, Status.SURVEYING, Decimal("0"))
    defined = ProjectFactory(community=community, status=Status.DEFINED)
    assert (
        client.post(reverse("admin:projects_project_delete", args=[defined.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(reverse("admin:projects_project_delete", args=[created.pk]), {"post": "yes"}).status_code
        == 302
    )
    assert not Project.objects.filter(pk=created.pk).exists()


def test_only_a_superuser_sets_showcase_wherever_it_is_asked(community, community_staff):
    with pytest.raises(planning.ValidationError):
        planning.create_project(
            community=community, by=community_staff, title="示范", category="public_service",
            budget=Decimal("1"), year=2025, showcase=True,
        )  # fmt: skip
    published = ProjectFactory(community=community, status=Status.PUBLISHED)
    planning.edit_project(project=published, by=UserFactory(is_superuser=True), changes={"showcase": True})
    published.refresh_from_db()
    assert published.showcase


def test_a_fund_below_what_is_committed_is_a_form_error_that_says_by_how_much(community, street_staff):
    fund = CommunityFundFactory(community=community, committed=Decimal("60000.00"))
    url = reverse("admin:projects_communityfund_change", args=[fund.pk])
    client = client_for(street_staff)
    response = client.post(url, {"amount": "50000.00"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "60000.00 元" in page and "还差 10000.00 元" in page and 'value="50000.00"' in page
    fund.refresh_from_db()
    assert fund.amount == Decimal("200000.00")
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, {"amount": "80000.00"}).status_code == 302
    sets = [
        q["sql"].split(" SET ", 1)[1] for q in queries if q["sql"].startswith("UPDATE") and "fund" in q["sql"]
    ]
    assert len(sets) == 1 and '"committed"' not in sets[0].split(" WHERE ")[0]
    fund.refresh_from_db()
    assert (fund.amount, fund.committed) == (Decimal("80000.00"), Decimal("60000.00"))


def test_set_amount_refuses_below_committed_under_its_own_update(community, street_staff):
    fund = CommunityFundFactory(community=community, committed=Decimal("60000.00"))
    with pytest.raises(funds.WorkflowError, match="还差 1.00 元"):
        funds.set_amount(fund=fund, amount=Decimal("59999.00"), by=street_staff)
    assert CommunityFund.objects.get(pk=fund.pk).amount == Decimal("200000.00")


def test_an_expense_is_never_saved_from_the_admin(running, street_staff):
    _, expense = running
    url = reverse("admin:projects_expense_change", args=[expense.pk])
    client = client_for(street_staff)
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(url, {"amount": "1.00"}).status_code == 403
    assert Expense.objects.get(pk=expense.pk).status == ExpenseStatus.SUBMITTED
