"""The demands' figures on the staff dashboards (community, street, district): 办结率, 按时办结率 and 满意率,
the same numbers as /demands/figures/ (one definition), each with its definition, linking there; and
`demand_summary`, month by month, for the area dashboard."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from members.models import Role
from services import demands as ops
from services.demand_figures import demand_summary, summarize
from services.models import Rating
from tests.factories import DemandFactory, StaffFactory

pytestmark = pytest.mark.django_db
MARCH = dt.datetime(2026, 3, 10, 2, tzinfo=dt.UTC)
MAY = dt.datetime(2026, 5, 12, 2, tzinfo=dt.UTC)


@pytest.fixture
def history(resident, staff, category):
    """March: one resolved and rated 满意, one rejected. May: one accepted and left past its deadline."""
    with time_machine.travel(MARCH, tick=False):
        done = DemandFactory(resident=resident, category=category)
        ops.accept(demand=done, by=staff)
        ops.resolve(demand=done, by=staff, note="已修好")
        ops.evaluate(demand=done, by=resident.user, rating=Rating.SATISFIED)
        ops.reject(demand=DemandFactory(resident=resident, category=category), by=staff, reason="物业负责")
    with time_machine.travel(MAY, tick=False):
        ops.accept(demand=DemandFactory(resident=resident, category=category), by=staff)


@pytest.mark.parametrize("level", ["community", "town", "district"])
def test_each_dashboard_shows_the_figures_of_its_area(client, history, community, level):
    area = {"community": community, "town": community.parent, "district": community.parent.parent}[level]
    role = {"community": Role.COMMUNITY_STAFF, "town": Role.STREET_STAFF, "district": Role.DISTRICT_ADMIN}
    client.force_login(StaffFactory(role=role[level], area=area))
    html = client.get(reverse("projects:dashboard"), {"year": 2026}).content.decode()
    section = html[html.index('id="demand-figures"') :]
    expected = summarize(area, 2026)["total"].values
    # 办结率 1 of (3 − 1 rejected) = 50%; 按时办结率 1 of (1 resolved + 1 open past its deadline) = 50%
    assert expected["resolved_rate"] == 50.0 == expected["on_time_rate"] and expected["satisfaction"] == 100.0
    shown = (("办结率", "resolved_rate"), ("按时办结率", "on_time_rate"), ("满意率", "satisfaction"))
    for label, key in shown:
        assert f'<span class="label">{label}</span><strong>{expected[key]}%</strong>' in section
    assert "超期仍未办的计入分母" in section  # the definition beside the number
    assert f"{reverse('services:demand-figures')}?area={area.pk}&amp;year=2026" in section


def test_the_public_gongshi_page_has_no_demand_figures(client, history, community):
    html = client.get(reverse("projects:gongshi-area", args=[community.parent.pk])).content.decode()
    assert 'id="demand-figures"' not in html


def test_demand_summary_goes_month_by_month(history, community):
    months = demand_summary(community.parent, 2026)
    assert [m.name for m in months] == ["3月", "5月"]
    march, may = months
    assert (march.values["received"], march.values["resolved_rate"], march.values["satisfaction"]) == (
        2, 100.0, 100.0,
    )  # fmt: skip
    assert (may.values["received"], may.values["resolved_rate"], may.values["satisfaction"]) == (1, 0.0, None)
    assert demand_summary(community.parent, 2025) == []
