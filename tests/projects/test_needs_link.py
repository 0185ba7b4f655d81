"""A project links to the needs it answers (需求清单): the old free text carried over by migration
0006, an accepted claim turned into a project through planning, and the 公示 page showing the need and
the unit that claimed it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from projects import planning
from projects.models import Project, Status
from services import claims
from tests.factories import CommunityFactory, NeedFactory, UnitStaffFactory

BEFORE = [("projects", "0005_change_history"), ("services", "0010_need_recorder_optional")]
AFTER = [("projects", "0006_needs_from_the_list")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_old_text_as_linked_needs_and_back():
    community = CommunityFactory(name="道前社区")  # the areas' tables are the same before and after
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("projects", "Project").objects.create(
        community_id=community.pk, year=2025, title="便民维修", category="public_service",
        needs="老人家里水电维修难\n希望每月上门一次",
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    project = new.get_model("projects", "Project").objects.get(title="便民维修")
    (need,) = project.needs.all()
    assert need.title == "老人家里水电维修难" and need.description == "老人家里水电维修难\n希望每月上门一次"
    assert need.status == "closed" and need.community_id == community.pk

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    back = executor.loader.project_state(BEFORE).apps
    assert back.get_model("projects", "Project").objects.get().needs == "老人家里水电维修难\n希望每月上门一次"
    assert not back.get_model("services", "Need").objects.exists()
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.fixture
def accepted():
    community = CommunityFactory(name="沧浪亭社区")
    need = NeedFactory(community=community, title="绿化修建", quantity=1, category="public_service")
    staff = UnitStaffFactory(organization__area=community, organization__name="沧浪亭管理处")
    claim = claims.claim_need(need=need, by=staff, quantity=1)
    return claims.accept_claim(claim=claim, by=need.created_by)


@pytest.mark.django_db
def test_an_accepted_claim_becomes_a_project_answering_the_need(accepted):
    project = planning.project_from_claim(
        claim=accepted, by=accepted.need.created_by, year=2025, budget=Decimal("8000.00")
    )
    assert project.status == Status.SURVEYING and project.title == "绿化修建"
    assert list(project.needs.all()) == [accepted.need]
    assert list(project.partners.all()) == [accepted.organization]


@pytest.mark.django_db
def test_a_pending_claim_or_another_communitys_need_is_refused(accepted):
    pending = claims.claim_need(
        need=NeedFactory(community=accepted.community),
        by=UnitStaffFactory(organization__area=accepted.community),
        quantity=1,
    )
    with pytest.raises(ValidationError):
        planning.project_from_claim(
            claim=pending, by=accepted.need.created_by, year=2025, budget=Decimal("1")
        )
    with pytest.raises(ValidationError, match="不是本社区的需求"):
        planning.create_project(
            community=accepted.community, by=accepted.need.created_by, year=2025, title="x",
            category="public_service", budget=Decimal("1"), needs=[NeedFactory()],
        )  # fmt: skip


@pytest.mark.django_db
def test_gongshi_shows_the_need_and_the_unit_that_claimed_it(client, accepted):
    project = planning.project_from_claim(
        claim=accepted, by=accepted.need.created_by, year=2025, budget=Decimal("8000.00")
    )
    Project.objects.filter(pk=project.pk).update(status=Status.PUBLISHED)
    page = client.get(reverse("projects:gongshi-community", args=[accepted.community.pk, 2025]))
    assert "绿化修建（认领单位：沧浪亭管理处）" in page.content.decode()
