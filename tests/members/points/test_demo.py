"""Demo data of volunteers and points: the demo login's record, a frozen last month, a city that adds up."""

import io

import pytest
from django.core.management import call_command

from members import demo_points
from members.models import MonthlyRanking, PointsEntry, Redemption, ServiceStatus, Volunteer
from sites.reconcile import checks
from tests.factories import CommunityFactory, PointRuleFactory

pytestmark = pytest.mark.django_db


def problems():
    return [str(d) for check in checks() for d in check.run()]


def test_the_demo_has_volunteers_pending_services_rewards_and_a_ranking():
    call_command("seed_demo", stdout=io.StringIO())
    demo = Volunteer.objects.get(user__username="volunteer")
    assert demo.community.name == "道前社区"
    assert demo.service_records.filter(status=ServiceStatus.SUBMITTED).exists()
    assert Redemption.objects.filter(volunteer=demo).exists()
    assert MonthlyRanking.objects.filter(area=demo.community).exists()
    assert problems() == []
    entries = PointsEntry.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert PointsEntry.objects.count() == entries


def test_a_small_city_adds_up():
    CommunityFactory.create_batch(3)
    PointRuleFactory(code="zhiyuan-fuwu")
    out = io.StringIO()
    demo_points.build_city(volunteers=30, entries=600, stdout=out)
    assert Volunteer.objects.count() == 30
    assert PointsEntry.objects.count() == 600
    assert "新增 30 名志愿者、600 条积分流水" in out.getvalue()
    assert problems() == []
