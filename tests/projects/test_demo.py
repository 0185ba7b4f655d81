"""Demo data: the articles' projects at their steps, and city-scale projects whose money adds up."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum

from projects import demo
from projects.models import CommunityFund, FundLedgerEntry, LedgerKind, Project, Status
from tests.factories import CommunityFactory, TownFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_articles_projects():
    call_command("seed_demo", stdout=io.StringIO())
    lecture = Project.objects.get(title="博士阳光讲坛")
    assert lecture.community.name == "嘉业阳光城社区"
    assert lecture.status == Status.PUBLISHED and lecture.showcase
    assert lecture.steps.count() == 6
    assert Project.objects.get(title="5+共建会").status == Status.REIMBURSED
    assert set(Project.objects.values_list("status", flat=True)) >= {
        Status.SURVEYING,
        Status.FILED,
        Status.FUNDED,
    }
    # Running it again adds nothing.
    count = Project.objects.count()
    demo.seed_named(year=lecture.year, admin=UserFactory(is_superuser=True), stdout=io.StringIO())
    assert Project.objects.count() == count


def test_seed_skips_missing_communities():
    UserFactory(is_superuser=True)
    out = io.StringIO()
    demo.seed(scale="demo", stdout=out)
    assert "0 个文章中的示范项目" in out.getvalue()
    assert not Project.objects.exists()


def test_city_projects_money_adds_up():
    admin = UserFactory(is_superuser=True)
    town = TownFactory()
    for _ in range(30):
        CommunityFactory(parent=town)
    demo.build_city_projects(year=2025, admin=admin, stdout=io.StringIO())
    assert Project.objects.count() > 150
    for fund in CommunityFund.objects.all():
        assert fund.committed <= fund.amount == Decimal("200000.00")
        ledger = FundLedgerEntry.objects.filter(fund=fund)

        def total(kind, entries=ledger):
            return entries.filter(kind=kind).aggregate(s=Sum("amount"))["s"] or Decimal("0")

        assert fund.committed == total(LedgerKind.COMMIT) - total(LedgerKind.RELEASE)
        assert fund.spent == total(LedgerKind.EXPENSE)
        funded = Project.objects.filter(community=fund.community).filter(
            ~Q(status__in=[Status.SURVEYING, Status.DEFINED, Status.FILED])
        )
        assert fund.spent == funded.aggregate(s=Sum("spent"))["s"]


def test_demo_logins_cover_every_journey():
    """Each step of every demo project, and each booking review, has a demo login that may take it."""
    from members.models import Role, User
    from sites.models import AreaLevel, Site

    call_command("seed_demo", stdout=io.StringIO())
    staff = User.objects.exclude(role=Role.ORGANIZER).filter(is_superuser=False)
    districts_with_logins = set(staff.filter(role=Role.DISTRICT_ADMIN).values_list("area", flat=True))
    streets_with_logins = set(staff.filter(role=Role.STREET_STAFF).values_list("area", flat=True))
    communities_with_logins = set(staff.filter(role=Role.COMMUNITY_STAFF).values_list("area", flat=True))

    for site in Site.objects.filter(venues__isnull=False).select_related("area").distinct():
        chain = {a.level: a.pk for a in [*site.area.ancestors(), site.area]}
        assert chain[AreaLevel.TOWN] in streets_with_logins, site.name
        assert chain[AreaLevel.DISTRICT] in districts_with_logins, site.name
    for project in Project.objects.select_related("community__parent"):
        assert project.community_id in communities_with_logins, project.title
        assert project.community.parent_id in streets_with_logins, project.title
        assert project.community.parent.parent_id in districts_with_logins, project.title
    # Every step can be seen (and the next one taken) with a login of the project's own street.
    assert set(Project.objects.values_list("status", flat=True)) == set(Status.values)

    organizers = User.objects.filter(role=Role.ORGANIZER)
    assert organizers.count() >= 3
    assert organizers.values("organization").distinct().count() == organizers.count()
    # The README's walk-through starts from this project, at 了解需求, in 道前社区 (street: canglang).
    walk = Project.objects.get(title="古巷邻里议事厅")
    assert walk.status == Status.SURVEYING and walk.community.name == "道前社区"
    assert User.objects.get(username="canglang").area == walk.community.parent
