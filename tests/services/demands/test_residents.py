"""Residents register themselves on a phone (the volunteers' SMS registration, shared) and name their
community and, when they know it, their grid."""

import re

import pytest
from django.urls import reverse

from members.errors import Refusal
from members.models import PhoneCode, Role
from services.models import Resident
from services.residents import register_resident
from tests.factories import CommunityFactory, GridFactory

pytestmark = pytest.mark.django_db
PHONE = "13912340017"
URL = reverse("services:resident-register")


def code_in(outbox):
    return re.search(r"\d{6}", outbox[-1][1]).group()


def test_a_resident_registers_through_the_page_and_picks_a_grid_of_their_community(client, sms_outbox):
    community = CommunityFactory(name="启发广场社区")
    grid = GridFactory(name="第三网格", parent=community)
    GridFactory(name="别的网格", parent=CommunityFactory(name="别的社区"))
    sent = client.post(URL, {"action": "send", "phone": PHONE, "community": community.pk})
    assert "居民注册验证码" in sms_outbox[-1][1]
    # Once the community is known the grid list holds its grids only.
    assert "第三网格" in sent.text and "别的网格" not in sent.text
    response = client.post(
        URL,
        {
            "action": "register",
            "phone": PHONE,
            "code": code_in(sms_outbox),
            "name": "李阿姨",
            "community": community.pk,
            "grid": grid.pk,
            "password": "haitang-2026",
        },
    )
    assert response.status_code == 302
    resident = Resident.objects.select_related("user").get()
    assert (resident.user.role, resident.user.username, resident.community, resident.grid) == (
        Role.RESIDENT,
        PHONE,
        community,
        grid,
    )
    assert client.get("/").wsgi_request.user == resident.user


def test_missing_fields_are_named_and_input_kept(client, sms_outbox):
    response = client.post(URL, {"action": "register", "phone": PHONE, "name": "李阿姨"})
    assert response.status_code == 200
    for message in ("请填写短信中的 6 位验证码。", "请选择所在社区。", "请设置密码。"):
        assert message in response.text
    assert 'value="李阿姨"' in response.text
    assert not Resident.objects.exists()


def test_a_grid_of_another_community_is_refused_and_nothing_is_written(sms_outbox):
    community = CommunityFactory()
    elsewhere = GridFactory(parent=CommunityFactory())
    from members.registration import send_code

    send_code(phone=PHONE, ip="10.0.0.1", purpose="居民注册")
    with pytest.raises(Exception, match="网格不在所选社区内"):
        register_resident(
            phone=PHONE,
            code=code_in(sms_outbox),
            password="haitang-2026",
            name="李阿姨",
            community=community,
            grid=elsewhere,
        )
    assert not Resident.objects.exists()
    # The code was spent only with the account: rolled back with it, it still works.
    assert PhoneCode.objects.get().used_at is None
    resident = register_resident(
        phone=PHONE, code=code_in(sms_outbox), password="haitang-2026", name="李阿姨", community=community
    )
    assert resident.grid is None


def test_a_wrong_code_counts_even_though_nothing_is_written(sms_outbox):
    from members.registration import send_code

    community = CommunityFactory()
    send_code(phone=PHONE, ip="10.0.0.1", purpose="居民注册")
    with pytest.raises(Refusal, match="验证码不正确"):
        register_resident(phone=PHONE, code="abcdef", password="haitang-2026", name="李", community=community)
    assert PhoneCode.objects.get().attempts == 1


def test_the_resident_admin_is_scoped_and_masks_the_phone(client, resident, staff, category, community):
    from django.urls import reverse

    from members.models import Role
    from tests.factories import CommunityFactory, DemandFactory, ResidentFactory, StaffFactory

    neighbour = CommunityFactory(
        parent=community.parent, latitude=community.latitude, longitude=community.longitude
    )
    other = ResidentFactory(community=neighbour, name="外社区居民")
    url = reverse("admin:services_resident_changelist")
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert resident.name in page and other.name not in page
    masked = resident.user.phone[:3] + "****" + resident.user.phone[-4:]
    assert masked in page and resident.user.phone not in page
    DemandFactory(resident=resident, category=category)  # now the staff handle one of the resident's demands
    assert resident.user.phone in client.get(url).content.decode()
    client.force_login(StaffFactory(role=Role.STREET_STAFF, area=community.parent))
    street = client.get(url).content.decode()
    assert other.name in street and resident.user.phone not in street  # supervising staff: masked
    change = reverse("admin:services_resident_change", args=[resident.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"name": "改名"}).status_code == 403
