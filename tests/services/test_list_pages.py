"""三张清单 pages: the public board (no JS, no personal data, filters), a need's page where a unit's
staff claim it, 认领管理 where the community accepts or declines and the unit records it done; the admin."""

import pytest
from django.urls import reverse
from django.utils import timezone

from services.models import Claim, ClaimStatus, Need, NeedStatus
from tests.factories import CommunityFactory, NeedFactory, StaffFactory, UnitStaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def need():
    community = CommunityFactory(name="联青社区", latitude="31.290000", longitude="120.610000")
    return NeedFactory(community=community, title="健身步道", kind="fitness", quantity=1, unit="项")


def test_the_board_lists_published_needs_with_filters(client, need, django_assert_num_queries):
    NeedFactory(community=need.community, title="草稿需求", publish=False)
    for _ in range(3):
        NeedFactory()
    with django_assert_num_queries(4):  # the district and street options, count, page
        response = client.get(reverse("services:need-list"))
    page = response.content.decode()
    assert "健身步道" in page and "草稿需求" not in page
    assert need.created_by.username not in page
    street = need.community.parent
    page = client.get(
        reverse("services:need-list"), {"street": street.pk, "kind": "fitness"}
    ).content.decode()
    assert "健身步道" in page and page.count('class="card need-item"') == 1
    bad = client.get(reverse("services:need-list"), {"street": "abc"})
    assert bad.status_code == 400 and "street" in bad.content.decode()


def test_the_map_page_loads_the_needs_layer(client):
    response = client.get(reverse("services:need-map"))
    assert response.status_code == 200
    assert "js/needs_layer.js" in response.content.decode()


def test_a_drafts_page_is_only_for_its_communitys_staff(client, need):
    draft = NeedFactory(community=need.community, publish=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(draft.created_by)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_unit_claims_on_the_page_and_the_community_accepts_on_the_desk(client, need):
    staff = UnitStaffFactory(organization__area=need.community, organization__name="三元交通")
    client.force_login(staff)
    assert "以“三元交通”的名义认领" in client.get(need.get_absolute_url()).content.decode()
    response = client.post(reverse("services:need-claim", args=[need.pk]), {"quantity": "1"}, follow=True)
    assert "认领成功" in response.content.decode()
    claim = Claim.objects.get(need=need)
    # Over what is left: a message, nothing written.
    other = UnitStaffFactory(organization__area=need.community)
    client.force_login(other)
    response = client.post(reverse("services:need-claim", args=[need.pk]), {"quantity": "1"}, follow=True)
    assert "已全部认领" in response.content.decode()
    response = client.post(reverse("services:need-claim", args=[need.pk]), {"quantity": "abc"}, follow=True)
    assert "认领数量" in response.content.decode()

    client.force_login(need.created_by)
    desk = client.get(reverse("services:claim-desk")).content.decode()
    assert "确认认领" in desk and "三元交通" in desk
    response = client.post(reverse("services:claim-decline", args=[claim.pk]), {"reason": ""}, follow=True)
    assert "婉拒原因" in response.content.decode()
    client.post(reverse("services:claim-accept", args=[claim.pk]))
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_PROGRESS

    client.force_login(staff)
    response = client.post(
        reverse("services:claim-complete", args=[claim.pk]),
        {"on": timezone.localdate().isoformat(), "beneficiaries": "300"},
        follow=True,
    )
    assert "已登记完成" in response.content.decode()
    assert Need.objects.get(pk=need.pk).fulfilled == 1


def test_the_desk_has_a_constant_query_count(client, need, django_assert_num_queries):
    for _ in range(3):
        NeedFactory(community=need.community, by=need.created_by)
    for other in Need.objects.all():
        from services import claims

        claims.claim_need(need=other, by=UnitStaffFactory(organization__area=need.community), quantity=1)
    client.force_login(need.created_by)
    with django_assert_num_queries(6):  # session, user, count, page, notification badge…
        response = client.get(reverse("services:claim-desk"))
    assert response.content.decode().count('class="card claim-item"') == 4


def test_community_staff_publish_from_the_admin(client, need):
    staff = need.created_by
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    response = client.post(
        reverse("admin:services_need_add"),
        {"community": need.community.pk, "title": "便民维修", "category": "public_service", "kind": "repair",
         "quantity": "12", "unit": "次", "urgency": "normal"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Need.objects.get(title="便民维修")
    assert added.status == NeedStatus.DRAFT and added.created_by == staff
    client.post(
        reverse("admin:services_need_changelist"),
        {"action": "publish", "_selected_action": [str(added.pk)], "index": "0"},
    )
    assert Need.objects.get(pk=added.pk).status == NeedStatus.PUBLISHED
    # Another community's staff don't see it.
    client.force_login(StaffFactory())
    assert client.get(reverse("admin:services_need_change", args=[added.pk])).status_code in (302, 404)


def test_a_resident_sees_why_they_cannot_claim(client, need):
    client.force_login(UserFactory())
    assert "只有共驻共建单位的工作人员可以认领需求" in client.get(need.get_absolute_url()).content.decode()
