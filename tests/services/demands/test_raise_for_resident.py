"""代为登记: staff raise a demand on a resident's behalf from a page (a phone call, a grid visit): the
registered resident is found by phone and gets it in 我的诉求; someone unregistered is the typed name and
phone; the channel is kept and shown in the timeline; bad input keeps the form with a Chinese error."""

import pytest
from django.urls import reverse

from members.models import Role
from services.models import Demand
from tests.factories import CommunityFactory, StaffFactory

pytestmark = pytest.mark.django_db
URL = "services:demand-new-for-resident"


def fill(category, community, **extra):
    return {
        "channel": "phone", "community": community.pk, "category": category.pk, "title": "楼道灯不亮",
        "description": "来电反映二楼灯坏了", "latitude": "", "longitude": "", **extra,
    }  # fmt: skip


def test_a_registered_caller_is_found_by_phone(client, staff, resident, category, community):
    client.force_login(staff)
    form = client.get(reverse(URL)).content.decode()
    assert "反映渠道" in form and "居民手机号" in form
    response = client.post(reverse(URL), fill(category, community, contact_phone=resident.user.phone))
    demand = Demand.objects.get()
    assert response.status_code == 302 and response.url == demand.get_absolute_url()
    assert (demand.resident, demand.raised_by, demand.channel) == (resident, staff, "phone")
    assert (demand.latitude, demand.contact_name) == (community.latitude, resident.name)
    assert "工作人员代为登记（电话）" in demand.transitions.get().note
    client.force_login(resident.user)
    assert "楼道灯不亮" in client.get(reverse("services:demand-mine")).content.decode()


def test_an_unregistered_caller_is_the_name_and_phone_typed(client, staff, category, community):
    client.force_login(staff)
    client.post(
        reverse(URL),
        fill(category, community, channel="visit", contact_name="王大爷", contact_phone="13900001111"),
    )
    demand = Demand.objects.get()
    assert (demand.resident, demand.contact_name, demand.contact_phone, demand.channel) == (
        None, "王大爷", "13900001111", "visit",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"contact_name": ""}, "未注册的居民请填写联系人姓名"),
        ({"channel": "online", "contact_name": "王大爷"}, "请选择反映渠道"),
        ({"contact_name": "王大爷", "contact_phone": "abc"}, "请填写有效的电话号码"),
    ],
)
def test_bad_input_keeps_the_form(client, staff, category, community, change, message):
    client.force_login(staff)
    response = client.post(reverse(URL), fill(category, community, **change))
    assert response.status_code == 200 and message in response.content.decode()
    assert "楼道灯不亮" in response.content.decode() and not Demand.objects.exists()


def test_only_the_staffs_own_communities(client, staff, category, community):
    other = CommunityFactory(
        parent=community.parent, latitude=community.latitude, longitude=community.longitude
    )
    client.force_login(staff)
    response = client.post(reverse(URL), fill(category, other, contact_name="王大爷"))
    assert response.status_code == 200 and not Demand.objects.exists()
    client.force_login(StaffFactory(role=Role.RESIDENT, area=None))
    assert client.get(reverse(URL)).status_code in (302, 403)
