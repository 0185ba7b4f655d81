"""The demo co-building units show every indicator state; the city build pairs 173 units with 19 streets
and gives them records that vary."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from members.models import Organization
from services import indicators
from services.demo_indicators import build_city_indicators
from services.indicator_models import CobuildingAgreement
from sites.models import Area, AreaLevel
from tests.factories import (
    CommunityFactory,
    OrganizationFactory,
    TownFactory,
    UnitFactory,
    UserFactory,
    default_indicators,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indicators_defined():
    default_indicators()


YEAR = timezone.localdate().year


def states_in(street_name):
    street = Area.objects.get(level=AreaLevel.TOWN, name=street_name)
    rows = indicators.for_units(indicators.units_in(street, YEAR), YEAR)
    return {row.unit.name: [r.state for r in row.results] for row in rows}


def test_the_demo_units_show_met_behind_and_not_started():
    call_command("seed_demo", stdout=io.StringIO())
    shuangta = states_in("双塔街道")
    met, behind, none = indicators.State.MET, indicators.State.BEHIND, indicators.State.NOT_STARTED
    assert shuangta["苏州市沧浪亭管理处党支部"] == [met, met, met]
    assert shuangta["苏州三元交通建设工程有限公司党支部"] == [none, behind, met]
    assert shuangta["苏州大学附属第一医院党委"] == [none, behind, none]
    assert shuangta["苏州市第十中学党委"] == [met, none, none]
    assert states_in("沧浪街道")["苏州市会议中心“苏会党员”党支部"] == [met, behind, met]
    agreements = CobuildingAgreement.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert CobuildingAgreement.objects.count() == agreements


def test_the_city_build_pairs_173_units_with_19_streets():
    admin = UserFactory(is_superuser=True)
    streets = [TownFactory() for _ in range(20)]
    for street in streets:
        OrganizationFactory(area=CommunityFactory(parent=street), kind="committee")
        UnitFactory(area=street, paired_street=street)
    build_city_indicators(stdout=io.StringIO(), admin=admin, year=YEAR)
    paired = Organization.objects.filter(paired_street__in=streets[:19]).count()
    assert paired == 173
    rows = indicators.for_units(Organization.objects.cobuilding(), YEAR)
    states = {r.state for row in rows for r in row.results[:2]}
    assert states == set(indicators.State)
    assert CobuildingAgreement.objects.filter(year=YEAR).count() < len(rows)  # some have not signed
