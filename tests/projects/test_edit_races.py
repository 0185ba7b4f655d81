"""Edits through the page, the API and the admin race approvals and steps (PostgreSQL, real threads).

Each person opened their form before the others acted; after every interleaving the counters equal
what their ledger adds up to (`manage.py reconcile`) and no edit has undone an approval or a step.
"""

import io
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from projects import workflow
from projects.models import Expense, ExpenseStatus, Project, ProjectStep, Status
from tests.factories import ExpenseFactory, ProjectFactory

from .test_admin import _posted

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 6


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def page_edit(user, project, **changes):
    """Open the edit page now; the returned call sends the form later, as the person would."""
    client, url = client_for(user), reverse("projects:project-edit", args=[project.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "partners"}
    return lambda: client.post(url, {**data, **changes}).status_code


def admin_edit(user, project, **changes):
    client, url = client_for(user), reverse("admin:projects_project_change", args=[project.pk])
    data = _posted(client, url)
    return lambda: client.post(url, {**data, **changes}).status_code


def api_patch(user, project, **changes):
    client, url = client_for(user), reverse("projects:api-project-detail", args=[project.pk])
    return lambda: client.patch(url, changes, content_type="application/json").status_code


def api_post(user, url, body=None):
    client = client_for(user)
    if body is None:  # the expenses API takes forms (receipts are uploads)
        return lambda: client.post(url).status_code
    return lambda: client.post(url, body, content_type="application/json").status_code


def race(calls):
    """Fire every prepared call at the same moment, each thread on its own connection."""
    barrier = threading.Barrier(len(calls))
    codes = [None] * len(calls)

    def target(i):
        try:
            barrier.wait()
            codes[i] = calls[i]()
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def test_edits_never_undo_approvals_or_steps(community, community_staff, street_staff, reconciled):
    running = ProjectFactory(community=community, status=Status.FILED, budget=Decimal("10000.00"))
    workflow.advance(project=running, to=Status.FUNDED, by=street_staff)
    workflow.advance(project=running, to=Status.IN_PROGRESS, by=community_staff)
    expenses = [
        ExpenseFactory(project=running, amount=Decimal("300.00"), submitted_by=community_staff)
        for _ in range(2 * ROUNDS)
    ]
    drafts = [
        ProjectFactory(community=community, status=Status.DEFINED, budget=Decimal("1000.00"))
        for _ in range(ROUNDS)
    ]
    for n, draft in enumerate(drafts):
        approve = [reverse("projects:api-expense-approve", args=[e.pk]) for e in expenses[2 * n : 2 * n + 2]]
        file = reverse("projects:api-project-advance", args=[draft.pk])
        codes = race(
            [
                page_edit(community_staff, running, description=f"第{n}轮页面修改"),
                admin_edit(community_staff, running, expected_beneficiaries=100 + n),
                api_patch(community_staff, running, actual_beneficiaries=200 + n),
                *(api_post(street_staff, url) for url in approve),
                api_post(street_staff, file, {"to": "filed"}),
                page_edit(community_staff, draft, budget="1500.00"),
                admin_edit(community_staff, draft, title=f"第{n}轮改名"),
            ]
        )
        assert all(code < 500 for code in codes), codes
        assert codes[3:6] == [200, 200, 200], codes  # approvals and the step never lose to an edit
        reconciled()

    running.refresh_from_db()
    approved = Expense.objects.filter(project=running, status=ExpenseStatus.APPROVED)
    assert approved.count() == 2 * ROUNDS
    assert running.spent == Decimal("300.00") * 2 * ROUNDS and running.status == Status.IN_PROGRESS
    assert running.expected_beneficiaries == 100 + ROUNDS - 1
    for draft in Project.objects.filter(pk__in=[d.pk for d in drafts]):
        assert draft.status == Status.FILED
        assert ProjectStep.objects.filter(project=draft).count() == 1


@pytest.fixture
def reconciled():
    """`manage.py reconcile` finds every counter equal to what its ledger adds up to (it raises if not)."""
    return lambda: call_command("reconcile", stdout=io.StringIO())
