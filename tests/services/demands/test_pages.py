"""The demand pages: 我要反映 → staff accept and dispatch → the member takes and resolves → 不满意
reopens → resolved again → 满意; the figures show; the inbox's queries are pinned; the public map has no
personal data."""

import pytest
from django.urls import reverse

from services import demands as ops
from services.models import Demand, DemandStatus
from tests.factories import DemandFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def move(client, user, demand, name, **data):
    client.force_login(user)
    return client.post(reverse("services:demand-move", args=[demand.pk, name]), data, follow=True)


def test_the_loop_through_the_pages_and_the_figures_move(
    client, resident, staff, member, category, street_staff
):
    client.force_login(resident.user)
    form = client.get(reverse("services:demand-new"))
    assert "我要反映" in form.text and "location-picker" in form.text
    response = client.post(
        reverse("services:demand-new"),
        {
            "category": category.pk,
            "title": "楼道灯泡更换",
            "description": "二楼灯不亮",
            "latitude": "",
            "longitude": "",
        },
    )
    demand = Demand.objects.get()
    assert response.status_code == 302 and response.url == demand.get_absolute_url()
    assert "楼道灯泡更换" in client.get(reverse("services:demand-mine")).text
    inbox = client.get(reverse("services:demand-inbox"))
    assert inbox.status_code == 403  # residents have no inbox
    client.force_login(staff)
    assert "楼道灯泡更换" in client.get(reverse("services:demand-inbox")).text
    move(client, staff, demand, "accept")
    move(client, staff, demand, "dispatch", member=member.pk)
    page = client.get(demand.get_absolute_url()).text
    assert "办结期限" in page and "（周" in page
    move(client, member.user, demand, "take")
    move(client, member.user, demand, "resolve", note="已更换灯泡")
    move(client, resident.user, demand, "evaluate", rating="dissatisfied", comment="还是不亮")
    demand.refresh_from_db()
    assert (demand.status, demand.reopen_count) == (DemandStatus.DISPATCHED, 1)
    move(client, member.user, demand, "take")
    move(client, member.user, demand, "resolve", note="换了开关")
    client.force_login(staff)
    before = client.get(reverse("services:demand-figures")).text
    assert "重新办理率" in before and "没办的不算办结" in before
    done = move(client, resident.user, demand, "evaluate", rating="satisfied")
    assert "感谢您的评价" in done.text
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED
    timeline = client.get(demand.get_absolute_url()).text
    assert timeline.count("已办结") >= 2 and "已关闭" in timeline


def test_a_refused_move_says_why_and_writes_nothing(client, resident, staff, category):
    demand = DemandFactory(resident=resident, category=category)
    response = move(client, staff, demand, "reject", reason="")
    assert "请填写原因" in response.text
    response = move(client, resident.user, demand, "accept")
    assert "只有该诉求所在社区" in response.text
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SUBMITTED


def test_the_inbox_query_count_is_constant(client, staff, community, category, django_assert_num_queries):
    client.force_login(staff)
    url = reverse("services:demand-inbox")

    def add(n):
        for i in range(n):
            demand = DemandFactory(resident=ResidentFactory(community=community), category=category)
            if i % 2:
                ops.accept(demand=demand, by=staff)

    add(2)
    # a constant number, whatever the number of demands waiting or running
    with django_assert_num_queries(7):
        client.get(url)
    add(6)
    with django_assert_num_queries(7):
        client.get(url)


def test_the_public_map_has_no_personal_data(client, resident, staff, category, grid):
    demand = DemandFactory(
        resident=resident, category=category, grid=grid, title="电话13912345678", address="3号楼"
    )
    move(client, staff, demand, "accept")
    client.logout()
    body = client.get(reverse("services:demand-map")).json()
    [feature] = body["features"]
    assert feature["geometry"]["coordinates"] == [float(grid.longitude), float(grid.latitude)]
    text = str(body)
    assert "13912345678" not in text and "3号楼" not in text and resident.name not in text
