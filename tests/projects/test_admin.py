"""The admin: scoped changelists with pinned query counts, workflow actions, a read-only ledger."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import ExpenseStatus, FundLedgerEntry, Status
from tests.factories import (
    CommunityFactory,
    CommunityFundFactory,
    ExpenseFactory,
    ProjectFactory,
    UserFactory,
)

from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["project", "communityfund", "expense", "fundledgerentry"])
def test_changelists_are_scoped_with_constant_queries(town, street_staff, model, django_assert_num_queries):
    client = client_for(street_staff)
    url = reverse(f"admin:projects_{model}_changelist")

    def add(n, parent):
        for _ in range(n):
            project = ProjectFactory(community=CommunityFactory(parent=parent), status=Status.IN_PROGRESS)
            fund = CommunityFundFactory(
                community=project.community, year=project.year, committed=project.budget
            )
            ExpenseFactory(project=project)
            FundLedgerEntry.objects.create(
                fund=fund, project=project, kind="commit", amount=project.budget, by=street_staff
            )

    add(1, town)
    add(1, None)  # another street's
    response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    add(5, town)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 6


def test_admin_action_takes_the_step_and_reports_refusals(community, street_staff):
    ready = ProjectFactory(community=community, status=Status.DEFINED, title="可备案")
    early = ProjectFactory(community=community, status=Status.SURVEYING, title="尚在了解需求")
    response = client_for(street_staff).post(
        reverse("admin:projects_project_changelist"),
        {"action": "step_defined_filed", "_selected_action": [ready.pk, early.pk], "comment": "同意"},
        follow=True,
    )
    page = response.content.decode()
    assert "已办理“审核通过，予以备案”：1 个项目" in page
    assert "“尚在了解需求”：项目当前处于“了解需求”步骤" in page
    ready.refresh_from_db()
    assert ready.status == Status.FILED
    assert ready.steps.get().comment == "同意"


def test_admin_approves_expenses_through_funds(community, community_staff, street_staff):
    project = ProjectFactory(community=community, status=Status.IN_PROGRESS, budget=Decimal("1000.00"))
    CommunityFundFactory(community=community, year=project.year, committed=Decimal("1000.00"))
    expense = ExpenseFactory(project=project, amount=Decimal("600.00"), submitted_by=community_staff)
    client_for(street_staff).post(
        reverse("admin:projects_expense_changelist"), {"action": "approve", "_selected_action": [expense.pk]}
    )
    expense.refresh_from_db()
    project.refresh_from_db()
    assert expense.status == ExpenseStatus.APPROVED and project.spent == Decimal("600.00")


def test_ledger_is_read_only_in_the_admin(community, street_staff):
    project = ProjectFactory(community=community)
    fund = CommunityFundFactory(community=community)
    entry = FundLedgerEntry.objects.create(
        fund=fund, project=project, kind="commit", amount=1, by=street_staff
    )
    client = client_for(street_staff)
    assert client.get(reverse("admin:projects_fundledgerentry_add")).status_code == 403
    response = client.post(reverse("admin:projects_fundledgerentry_delete", args=[entry.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert FundLedgerEntry.objects.filter(pk=entry.pk).exists()


def test_other_street_gets_404_in_admin(community, other_street_staff):
    project = ProjectFactory(community=community)
    response = client_for(other_street_staff).get(reverse("admin:projects_project_change", args=[project.pk]))
    assert response.status_code in (302, 404)


def _inputs(client, url):
    html = client.get(url).content.decode()
    return {
        name
        for name in ("title", "budget", "year", "community", "showcase", "description")
        if f'name="{name}"' in html
    }


def test_project_admin_follows_the_edit_rules(community, community_staff, street_staff):
    """As the edit page and the API: the plan is fixed once filed, street staff only run steps,
    published projects are read-only, and only a superuser awards 百佳示范."""
    draft, filed, published = (
        ProjectFactory(community=community, status=status)
        for status in (Status.DEFINED, Status.FILED, Status.PUBLISHED)
    )
    url = lambda project: reverse("admin:projects_project_change", args=[project.pk])  # noqa: E731
    staff = client_for(community_staff)
    # The community is chosen when the project is started and never changes (its fund is that one's).
    assert _inputs(staff, url(draft)) == {"title", "budget", "year", "description"}
    assert _inputs(staff, url(filed)) == {"description"}
    assert _inputs(staff, url(published)) == set()
    assert _inputs(client_for(street_staff), url(filed)) == set()
    superuser = client_for(UserFactory(is_superuser=True, is_staff=True))
    assert _inputs(superuser, url(published)) == {"showcase"}

    # A POST naming locked fields saves what may change and none of the rest.
    budget, title = filed.budget, filed.title
    response = staff.post(url(filed), {**_posted(staff, url(filed)), "budget": "199999.00", "title": "改",
                                       "showcase": "on", "description": "补充说明"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    filed.refresh_from_db()
    assert (filed.description, filed.budget, filed.title, filed.showcase) == (
        "补充说明",
        budget,
        title,
        False,
    )


def _posted(client, url):
    """The change form's own fields as the browser would send them back (inline management forms too)."""
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if name in form.fields and value is not None}
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if not isinstance(v, list)}
    for formset in client.get(url).context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    return data


def test_fund_keeps_its_community_and_year(community, street_staff):
    fund = CommunityFundFactory(community=community, committed=Decimal("60000.00"))
    html = client_for(street_staff).get(reverse("admin:projects_communityfund_change", args=[fund.pk]))
    page = html.content.decode()
    assert 'name="amount"' in page and 'name="year"' not in page and 'name="community"' not in page
