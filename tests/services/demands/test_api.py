"""The demands API: raise, every move by its endpoint, Chinese 400/403/409, scoping and masked phones."""

import pytest
from django.urls import reverse

from services.models import Demand, DemandStatus
from tests.factories import DemandFactory, ResidentFactory, StaffFactory, TownFactory

pytestmark = pytest.mark.django_db


def post(client, user, name, pk=None, **body):
    client.force_login(user)
    url = reverse(f"services:api-demand-{name}", args=[pk]) if pk else reverse("services:api-demands")
    return client.post(url, body, content_type="application/json")


def test_the_loop_through_the_api(client, resident, staff, member, category):
    raised = post(
        client, resident.user, "", title="电动车乱停乱放", description="楼道口堵住了", category=category.pk
    )
    assert raised.status_code == 201, raised.json()
    pk = raised.json()["id"]
    assert raised.json()["status"] == "submitted"
    assert post(client, staff, "accept", pk).json()["deadline"]
    assert post(client, staff, "dispatch", pk, member=member.pk).json()["status"] == "dispatched"
    assert post(client, member.user, "take", pk).json()["status"] == "taken"
    second = post(client, member.user, "take", pk)
    assert (second.status_code, second.json()["detail"]) == (409, "该诉求已有党员接单。")
    assert post(client, member.user, "resolve", pk, note="已劝离并划线").json()["status"] == "resolved"
    reopened = post(client, resident.user, "evaluate", pk, rating="dissatisfied", comment="又停满了")
    assert (reopened.json()["status"], reopened.json()["reopen_count"]) == ("dispatched", 1)
    post(client, member.user, "take", pk)
    post(client, member.user, "resolve", pk, note="加装了充电桩")
    closed = post(client, resident.user, "evaluate", pk, rating="satisfied")
    assert closed.json()["status"] == "closed"
    assert [t["to_status"] for t in closed.json()["transitions"]][-1] == "closed"


def test_bad_input_and_wrong_people_get_chinese_answers(client, resident, staff, category):
    demand = DemandFactory(resident=resident, category=category)
    assert post(client, resident.user, "", title="", description="x", category=category.pk).status_code == 400
    refused = post(client, resident.user, "accept", demand.pk)
    assert refused.status_code == 403 and "工作人员" in refused.json()["detail"]
    empty = post(client, staff, "reject", demand.pk, reason="")
    assert empty.status_code == 400
    bad = post(client, resident.user, "evaluate", demand.pk, rating="great")
    assert bad.status_code == 400
    other = StaffFactory(
        role="community_staff", area=TownFactory().children.create(name="x", level="community")
    )
    assert post(client, other, "accept", demand.pk).status_code == 404
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SUBMITTED


def test_street_staff_see_the_phone_masked_and_the_community_in_full(
    client, resident, staff, street_staff, category
):
    demand = DemandFactory(resident=resident, category=category)
    phone = resident.user.phone
    client.force_login(street_staff)
    assert client.get(reverse("services:api-demand", args=[demand.pk])).json()["contact_phone"] == (
        f"{phone[:3]}****{phone[-4:]}"
    )
    client.force_login(staff)
    assert client.get(reverse("services:api-demand", args=[demand.pk])).json()["contact_phone"] == phone


@pytest.mark.parametrize("who", ["staff", "street_staff"])
def test_the_list_query_count_does_not_grow(
    client, who, request, community, category, django_assert_num_queries
):
    viewer = request.getfixturevalue(who)
    for _ in range(3):
        DemandFactory(resident=ResidentFactory(community=community), category=category)
    client.force_login(viewer)
    url = reverse("services:api-demands")
    # session, user, their area (scope), count, page (visible_to reads the viewer's member record inside
    # the query); the phone rule reads no row for the community's own staff
    with django_assert_num_queries(5):
        assert len(client.get(url).json()["results"]) == 3
    for _ in range(5):
        DemandFactory(resident=ResidentFactory(community=community), category=category)
    with django_assert_num_queries(5):
        assert len(client.get(url).json()["results"]) == 8
