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
