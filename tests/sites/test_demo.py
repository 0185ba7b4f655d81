"""`seed_demo`: the real names load, seeding is idempotent, and the city builder keeps the tree sound."""

from io import StringIO

import pytest
from django.core.management import call_command

import members.demo
import sites.demo
from members.models import Organization, User
from sites.demo_city import LAT_RANGE, LNG_RANGE, CityCounts
from sites.models import LEVEL_DEPTH, Area, AreaLevel, Site, Venue

pytestmark = pytest.mark.django_db

PARENT_LEVEL = dict(zip(list(AreaLevel)[1:], list(AreaLevel)[:-1], strict=True))


def counts():
    return [m.objects.count() for m in (Area, Site, Venue, Organization, User)]


def assert_tree_is_sound():
    for area in Area.objects.select_related("parent"):
        assert area.path == Area.build_path(area.parent, area.pk)
        assert area.depth == LEVEL_DEPTH[area.level]
        if area.parent:
            assert area.parent.level == PARENT_LEVEL[area.level]


def test_seed_demo_loads_the_articles_names_and_prints_logins():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    daoqian = Area.objects.get(name="道前社区")
    assert daoqian.parent.name == "沧浪街道" and daoqian.parent.parent.code == "320508000000"
    assert Area.objects.get(code="320583000000").name == "昆山市"
    assert Area.objects.filter(level=AreaLevel.DISTRICT).count() == 10
    qifa = Site.objects.get(name="启发广场党群服务点")
    assert qifa.area.name == "邹家角社区" and qifa.tier == "point"
    assert Site.objects.get(name="创元集团标志党群服务中心").floor_area == 320
    assert Organization.objects.get(name="苏州中心党委").sites.get().name == "苏州中心党群服务中心"
    assert Organization.objects.filter(parent__name="牌楼社区党委").count() == 10
    assert all(2 <= s.venues.count() <= 4 or s.tier == "point" for s in Site.objects.all())
    assert User.objects.get(username="admin").check_password("haitang-demo")
    assert User.objects.get(username="daoqian").area == daoqian
    assert "haitang-demo" in out.getvalue() and "daoqian" in out.getvalue()
    assert_tree_is_sound()


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    before = counts()
    out = StringIO()
    call_command("seed_demo", if_empty=True, stdout=out)
    assert "跳过" in out.getvalue()
    assert counts() == before
    call_command("seed_demo", stdout=StringIO())  # without --if-empty: keyed writes, still no duplicates
    assert counts() == before


def test_city_builder_makes_a_sound_tree_of_the_asked_size():
    out = StringIO()
    tiny = CityCounts(towns=12, communities=30, grids=60, sites=50, rooms=120)
    sites.demo.seed(scale="city", stdout=out, counts=tiny)
    members.demo.seed(scale="city", stdout=out, organizations=300, members=3000, volunteers=30, entries=300)
    generated = Area.objects.filter(code__isnull=False, code__regex=r"^\d{6}1\d\d")
    assert generated.filter(level=AreaLevel.TOWN).count() == 12
    assert Area.objects.filter(level=AreaLevel.GRID).count() >= 60
    assert_tree_is_sound()
    new_sites = Site.objects.filter(area__in=Area.objects.filter(code__regex=r"^\d{6}1\d\d"))
    assert new_sites.count() == 50
    for s in new_sites:
        assert LAT_RANGE[0] <= s.latitude <= LAT_RANGE[1] and LNG_RANGE[0] <= s.longitude <= LNG_RANGE[1]
    assert Venue.objects.filter(site__in=new_sites).count() == 120
    # every generated town and community got its organisation, and it runs the sites in its area
    assert not Area.objects.filter(level__in=["town", "community"], organizations__isnull=True).exists()
    center = new_sites.filter(tier="center").first()
    assert center.organizations.get().area == center.area
    subtree = Area.objects.subtree(generated.filter(level=AreaLevel.TOWN).first())
    assert subtree.count() > 1
