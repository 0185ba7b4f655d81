"""转入需求清单: a promoted demand becomes a draft Need of its community in the same transaction, and
each page shows the other: the demand its need and the need's state, the need only that it came from
residents' demands (no name, phone or address)."""

import pytest
from django.urls import reverse

from members.errors import Refusal
from services import demands as ops
from services import needs
from services.models import Demand, DemandStatus, Need, NeedStatus, ServiceKind
from tests.factories import DemandFactory

pytestmark = pytest.mark.django_db


def test_promote_writes_a_need_that_the_demand_follows(resident, staff, category, grid):
    demand = DemandFactory(
        resident=resident,
        category=category,
        grid=grid,
        title="电话13912345678 小区缺健身器材",
        address="3号楼201",
    )
    ops.accept(demand=demand, by=staff)
    ops.promote(demand=demand, by=staff, reason="多户反映，列入需求清单统筹", kind=ServiceKind.FITNESS)
    demand = Demand.objects.get(pk=demand.pk)
    need = demand.need
    assert demand.status == DemandStatus.PROMOTED
    assert (need.community, need.grid, need.kind, need.status) == (
        demand.community, grid, ServiceKind.FITNESS, NeedStatus.DRAFT,
    )  # fmt: skip
    assert "13912345678" not in need.title and need.address == "" and need.latitude == grid.latitude
    assert need.description == "多户反映，列入需求清单统筹"
    assert f"需求清单 #{need.pk}" in demand.transitions.last().note

    client_page = _page(staff, demand.get_absolute_url())
    assert need.get_absolute_url() in client_page and "草稿" in client_page
    needs.publish_need(need=need, by=staff)
    seen_by_resident = _page(resident.user, demand.get_absolute_url())
    assert need.get_absolute_url() in seen_by_resident and "已发布" in seen_by_resident

    need_page = _page(None, need.get_absolute_url())
    assert "居民诉求 1 件转入" in need_page
    for personal in (resident.name, resident.user.phone, "3号楼201", "13912345678"):
        assert personal not in need_page


def test_a_refused_promote_writes_no_need(resident, staff, street_staff, category):
    demand = DemandFactory(resident=resident, category=category)
    ops.reject(demand=demand, by=staff, reason="不属于社区职责")
    with pytest.raises(Refusal, match="不予受理的诉求不能转入需求清单"):
        ops.promote(demand=demand, by=staff, reason="再转")
    with pytest.raises(Refusal, match="请填写原因"):
        ops.promote(demand=DemandFactory(resident=resident, category=category), by=staff, reason=" ")
    assert Need.objects.count() == 0


def test_the_promote_form_takes_the_kind_and_keeps_bad_input_out(client, resident, staff, category):
    demand = DemandFactory(resident=resident, category=category)
    client.force_login(staff)
    url = reverse("services:demand-move", args=[demand.pk, "promote"])
    page = client.post(url, {"reason": "列入清单", "kind": "nonsense"}, follow=True).content.decode()
    assert "请选择需求类型" in page and Need.objects.count() == 0
    client.post(url, {"reason": "列入清单", "kind": ServiceKind.ELDERLY})
    assert Need.objects.get().kind == ServiceKind.ELDERLY


def test_the_api_promotes_with_a_kind(client, resident, staff, category):
    demand = DemandFactory(resident=resident, category=category)
    client.force_login(staff)
    url = reverse("services:api-demand-promote", args=[demand.pk])
    answer = client.post(url, {"reason": "多户反映"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == DemandStatus.PROMOTED
    assert Need.objects.get().kind == ServiceKind.OTHER


def _page(user, url):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()
