"""The ledger and the timeline are append-only in the database itself, whatever the code path."""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from projects import funds, workflow
from projects.models import FundLedgerEntry, LedgerKind, Project, ProjectStep, Status
from sites.append_only import AppendOnlyModel, installed_triggers
from tests.factories import CommunityFundFactory, ProjectFactory, UserFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db

REFUSED = {
    FundLedgerEntry: "经费流水只能追加，不能修改或删除",
    ProjectStep: "项目步骤记录只能追加，不能修改或删除",
}


@pytest.fixture
def funded(community, community_staff, street_staff):
    """A project taken to 经费核拨 through the workflow: two steps and a commit row in the ledger."""
    CommunityFundFactory(community=community, year=2025)
    project = ProjectFactory(community=community, status=Status.DEFINED, budget=Decimal("5000.00"))
    workflow.advance(project=project, to=Status.FILED, by=street_staff)
    workflow.advance(project=project, to=Status.FUNDED, by=street_staff)
    return project


@contextmanager
def refused(model):
    """Expect the database's refusal, in a savepoint so the test's transaction lives on (PostgreSQL)."""
    with pytest.raises(IntegrityError, match=REFUSED[model]), transaction.atomic():
        yield


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


@pytest.mark.parametrize("model", [FundLedgerEntry, ProjectStep])
def test_raw_sql_update_and_delete_are_refused(funded, model):
    row = model.objects.filter(project=funded).first()
    with refused(model), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table(model)} SET at = at WHERE id = %s", [row.pk])
    with refused(model), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table(model)} WHERE id = %s", [row.pk])
    with refused(model), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table(model)}")
    assert model.objects.filter(pk=row.pk).exists()


def test_queryset_update_and_delete_are_refused(funded):
    with refused(FundLedgerEntry):
        FundLedgerEntry.objects.filter(project=funded).update(amount=Decimal("1.00"))
    with refused(FundLedgerEntry):
        FundLedgerEntry.objects.filter(project=funded).delete()
    with refused(ProjectStep):
        ProjectStep.objects.filter(project=funded).update(comment="改写历史")
    with refused(ProjectStep):
        # Bypass the ORM's collector too: a raw delete is a single DELETE … WHERE.
        ProjectStep.objects.filter(project=funded)._raw_delete(connection.alias)
    entry = FundLedgerEntry.objects.get(project=funded)
    assert (entry.kind, entry.amount) == (LedgerKind.COMMIT, Decimal("5000.00"))
    assert ProjectStep.objects.filter(project=funded).count() == 2
    assert not ProjectStep.objects.filter(comment="改写历史").exists()


def test_an_update_that_matches_no_row_passes(funded):
    assert FundLedgerEntry.objects.filter(pk=0).update(amount=Decimal("1.00")) == 0


def test_inserts_still_work(funded, community_staff, street_staff):
    workflow.advance(project=funded, to=Status.IN_PROGRESS, by=community_staff)
    funded.refresh_from_db()
    funds.release_unspent(project=funded, by=street_staff)
    assert list(FundLedgerEntry.objects.filter(project=funded).values_list("kind", flat=True)) == [
        LedgerKind.COMMIT,
        LedgerKind.RELEASE,
    ]
    assert funded.steps.count() == 3


def test_every_append_only_model_has_its_triggers():
    """A migration that rebuilds one of these tables on SQLite drops its triggers: this catches it."""
    models = [m for m in apps.get_models() if issubclass(m, AppendOnlyModel)]
    assert set(REFUSED) <= set(models)
    expected = 1 if connection.vendor == "postgresql" else 2  # one for both operations, or one each
    for model in models:
        assert len(installed_triggers(connection, model._meta.db_table)) == expected, model


def test_a_draft_without_steps_can_be_deleted_in_the_admin(community, community_staff):
    draft = ProjectFactory(community=community, status=Status.SURVEYING)
    response = client_for(community_staff).post(
        reverse("admin:projects_project_delete", args=[draft.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Project.objects.filter(pk=draft.pk).exists()


def test_a_project_with_steps_is_refused_cleanly(community, community_staff):
    defined = ProjectFactory(community=community, status=Status.SURVEYING, title="已确定的项目")
    workflow.advance(project=defined, to=Status.DEFINED, by=community_staff)
    with pytest.raises(ProtectedError):
        defined.delete()
    client = client_for(community_staff)
    # Its own delete page: no permission (the admin hides the button).
    response = client.post(reverse("admin:projects_project_delete", args=[defined.pk]), {"post": "yes"})
    assert response.status_code == 403
    # The changelist offers no bulk delete (planning.may_delete is asked per project), even to a superuser.
    superuser = client_for(UserFactory(is_superuser=True, is_staff=True))
    response = superuser.post(
        reverse("admin:projects_project_changelist"),
        {"action": "delete_selected", "_selected_action": [defined.pk], "post": "yes"},
    )
    assert response.status_code < 500
    assert Project.objects.filter(pk=defined.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_ledger_and_keeps_its_triggers(funded):
    """SQLite flushes with DELETE FROM, which the triggers refuse: flush lifts them for its own
    transaction only (sites/management/commands/flush.py); PostgreSQL's TRUNCATE ignores row triggers."""
    call_command("flush", interactive=False, verbosity=0)
    assert not FundLedgerEntry.objects.exists() and not ProjectStep.objects.exists()
    for model in REFUSED:
        assert installed_triggers(connection, model._meta.db_table)
