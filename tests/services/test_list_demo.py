"""The demo 三张清单: the articles' cases at their states, made once, reconciling clean; the city build."""

import io

import pytest
from django.core.management import call_command

from projects.models import Project
from services.demo_lists import build_city_lists
from services.models import Claim, Need, NeedState, Resource
from services.reconcile import need_claimed, resource_claimed
from tests.factories import CommunityFactory, StaffFactory, TownFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_articles_cases_are_seeded_once_at_every_state():
    call_command("seed_demo", stdout=io.StringIO())
    states = {n.title: n.state for n in Need.objects.select_related("community")}
    assert states["绿化修建"] == NeedState.FULFILLED
    assert states["健身步道"] == NeedState.FULLY_CLAIMED
    assert states["便民维修"] == NeedState.FULFILLED
    assert states["法律咨询进社区"] == NeedState.DRAFT and states["旧自行车棚改造"] == NeedState.WITHDRAWN
    claims = {
        c.need.title: (c.organization.name, c.status)
        for c in Claim.objects.filter(need__isnull=False).select_related("need", "organization")
    }
    assert claims["绿化修建"] == ("苏州市沧浪亭管理处党支部", "evaluated")
    assert claims["健身步道"] == ("苏州三元交通建设工程有限公司党支部", "in_progress")
    assert claims["便民维修"] == ("苏州市会议中心“苏会党员”党支部", "completed")
    assert Project.objects.filter(needs__title="绿化修建", status="published").exists()
    before = Claim.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Claim.objects.count() == before
    assert list(need_claimed()) == [] and list(resource_claimed()) == []


def test_the_city_build_keeps_every_counter_true(settings, monkeypatch):
    import services.demo_lists as demo

    monkeypatch.setattr(demo, "CITY_NEEDS", 300)
    monkeypatch.setattr(demo, "CITY_RESOURCES", 40)
    monkeypatch.setattr(demo, "CITY_CLAIMS", 400)
    UserFactory(is_superuser=True)
    streets = [TownFactory() for _ in range(3)]
    for street in streets:
        for _ in range(4):
            CommunityFactory(parent=street)
        for _ in range(5):
            UnitFactory(area=CommunityFactory(parent=street), paired_street=street)
    StaffFactory()
    build_city_lists(stdout=io.StringIO())
    assert Need.objects.count() >= 300 and Claim.objects.count() == 400
    by_distance = Resource.objects.filter(radius_m=demo.CITY_RADIUS_M)
    assert Resource.objects.count() == 40 and by_distance.count() == 4
    assert list(need_claimed()) == []
