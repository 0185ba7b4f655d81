"""挂钩联系生活困难群众: named by the community's staff for a unit of its street through one write path;
the household's details in full only for that community's staff, masked for everyone else."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members.models import Role
from services import hardship
from services.indicator_models import HardshipLink
from tests.factories import CommunityFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return CommunityFactory(name="道前社区")


@pytest.fixture
def staff(community):
    return StaffFactory(area=community)


@pytest.fixture
def unit(community):
    return UnitFactory(area=community, name="苏州市会议中心党支部")


def name_one(staff, unit, community, **kwargs):
    values = {
        "household_name": "张阿婆", "address": "道前街 8 号 302 室", "phone": "13812345678",
        "situation": "独居高龄老人，行动不便", "started_on": dt.date(2025, 3, 1), **kwargs,
    }  # fmt: skip
    return hardship.link_household(by=staff, organization=unit, community=community, **values)


def test_only_the_communitys_staff_read_the_household(staff, unit, community):
    link = name_one(staff, unit, community)
    assert link.household_for(staff) == (
        "张阿婆",
        "道前街 8 号 302 室",
        "13812345678",
        "独居高龄老人，行动不便",
    )
    street = StaffFactory(role=Role.STREET_STAFF, area=community.parent)
    neighbour = StaffFactory(area=CommunityFactory(parent=community.parent))
    for other in (street, neighbour):
        name, address, phone, situation = link.household_for(other)
        assert "阿婆" not in name and "8 号" not in address and phone == "138****5678"
        assert "独居" not in situation


def test_refused_links_write_nothing(staff, unit, community):
    with pytest.raises(PermissionDenied):
        name_one(StaffFactory(role=Role.STREET_STAFF, area=community.parent), unit, community)
    with pytest.raises(ValidationError, match="挂包联系本街道"):
        name_one(staff, UnitFactory(), community)
    name_one(staff, unit, community)
    with pytest.raises(ValidationError, match="已在联系这户"):
        name_one(staff, unit, community)
    with pytest.raises(ValidationError):
        name_one(staff, unit, community, household_name="李大伯", started_on=dt.date(1800, 1, 1))
    assert HardshipLink.objects.count() == 1


def test_ending_a_link_keeps_it_and_frees_the_household(staff, unit, community):
    link = name_one(staff, unit, community)
    with pytest.raises(ValidationError, match="不能早于"):
        hardship.end_link(link=link, by=staff, ended_on=dt.date(2025, 2, 1))
    ended = hardship.end_link(link=link, by=staff, ended_on=dt.date(2025, 12, 31))
    assert ended.ended_on == dt.date(2025, 12, 31)
    with pytest.raises(ValidationError, match="已经结束"):
        hardship.end_link(link=link, by=staff)
    name_one(staff, unit, community, started_on=dt.date(2026, 1, 1))  # the same household, named again
    assert HardshipLink.objects.count() == 2


def test_the_community_page_names_a_household_and_keeps_bad_input(client, staff, unit, community):
    client.force_login(staff)
    url = reverse("services:hardship-links")
    data = {
        "organization": unit.pk, "household_name": "李大伯", "address": "道前街 10 号", "phone": "",
        "situation": "因病致困", "started_on": "2025-04-01",
    }  # fmt: skip
    bad = client.post(url, {**data, "started_on": "2025-13-01"})
    assert bad.status_code == 400 and "李大伯" in bad.content.decode() and not HardshipLink.objects.exists()
    assert client.post(url, data).status_code == 302
    body = client.get(url).content.decode()
    assert "李大伯" in body and "因病致困" in body

    client.force_login(StaffFactory(role=Role.STREET_STAFF, area=community.parent))
    body = client.get(url).content.decode()
    assert "李大伯" not in body and "因病致困" not in body and "李**" in body
    assert 'id="hardship-form"' not in body
    assert client.post(url, data).status_code == 403


def test_the_admin_list_masks_the_household_for_other_staff(client, staff, unit, community):
    link = name_one(staff, unit, community)
    url = reverse("admin:services_hardshiplink_changelist")
    client.force_login(staff)
    assert "张阿婆" in client.get(url).content.decode()
    client.force_login(StaffFactory(role=Role.STREET_STAFF, area=community.parent))
    body = client.get(url).content.decode()
    assert "张**" in body and "张阿婆" not in body
    assert f"/{link.pk}/change/" not in body  # no row opens: its page is the community's
    change = reverse("admin:services_hardshiplink_change", args=[link.pk])
    assert client.get(change).status_code in (302, 403)
