"""The 三张清单 API: needs (board, create, steps, GeoJSON), resources, claims and their steps."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from services.models import Claim, ClaimStatus, Need, NeedStatus
from services.reconcile import need_claimed
from tests.factories import (
    CommunityFactory,
    NeedFactory,
    ResourceFactory,
    StaffFactory,
    UnitStaffFactory,
    photo_file,
)

pytestmark = pytest.mark.django_db


def client_for(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


@pytest.fixture
def need():
    community = CommunityFactory(name="沧浪亭社区", latitude="31.296000", longitude="120.628000")
    return NeedFactory(community=community, title="绿化修建", quantity=5)


def test_community_staff_record_and_publish_a_need():
    community = CommunityFactory()
    staff = StaffFactory(area=community)
    body = {"community": community.pk, "title": "健身步道", "category": "public_service", "kind": "fitness",
            "quantity": 1, "unit": "项"}  # fmt: skip
    response = client_for(staff).post(reverse("services:api-needs"), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["state"] == NeedStatus.DRAFT
    pk = response.json()["id"]
    assert (
        client_for(staff).post(reverse("services:api-need-publish", args=[pk])).json()["state"] == "published"
    )
    # Another community's staff may not.
    other = StaffFactory()
    assert client_for(other).post(reverse("services:api-needs"), body, format="json").status_code == 403


def test_bad_input_is_a_chinese_400():
    staff = StaffFactory()
    response = client_for(staff).post(
        reverse("services:api-needs"), {"community": staff.area.pk, "title": "", "quantity": 0}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert "quantity" in body and "title" in body and "category" in body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(body))
    response = client_for().get(reverse("services:api-needs"), {"kind": "pizza"})
    assert response.status_code == 400 and "kind" in response.json()


def test_the_board_lists_published_needs_without_personal_data(need, django_assert_num_queries):
    NeedFactory(community=need.community, publish=False)  # a draft stays off the board
    for _ in range(3):
        NeedFactory()
    with django_assert_num_queries(2):  # count, page
        response = client_for().get(reverse("services:api-needs"))
    rows = response.json()["results"]
    assert len(rows) == 4
    assert "created_by" not in rows[0] and "phone" not in str(rows[0])
    street = need.community.parent
    filtered = client_for().get(reverse("services:api-needs"), {"street": street.pk}).json()["results"]
    assert [row["id"] for row in filtered] == [need.pk]


def test_the_map_layer_is_geojson_with_the_communitys_centre(need, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client_for().get(reverse("services:api-needs-geojson"))
    assert response["Content-Type"] == "application/geo+json"
    (feature,) = response.json()["features"]
    assert feature["geometry"]["coordinates"] == [120.628, 31.296]
    assert feature["properties"] == {
        "title": "绿化修建",
        "kind": "repair",
        "state": "published",
        "community": "沧浪亭社区",
    }


def test_claim_accept_complete_evaluate_through_the_api(need):
    unit_staff = UnitStaffFactory(organization__area=need.community)
    unit = client_for(unit_staff)
    response = unit.post(reverse("services:api-claims"), {"need": need.pk, "quantity": 2}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]

    again = unit.post(reverse("services:api-claims"), {"need": need.pk, "quantity": 1}, format="json")
    assert again.status_code == 409 and "不能重复认领" in again.json()["detail"]
    over = client_for(UnitStaffFactory(organization__area=need.community)).post(
        reverse("services:api-claims"), {"need": need.pk, "quantity": 4}, format="json"
    )
    assert over.status_code == 409 and "还剩 3" in over.json()["detail"]

    community = client_for(need.created_by)
    assert unit.post(reverse("services:api-claim-accept", args=[pk])).status_code == 403
    assert community.post(reverse("services:api-claim-accept", args=[pk])).json()["status"] == "in_progress"
    response = unit.post(
        reverse("services:api-claim-complete", args=[pk]),
        {
            "on": timezone.localdate().isoformat(),
            "beneficiaries": "80",
            "evidence": photo_file(),
            "note": "完成",
        },
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    response = community.post(
        reverse("services:api-claim-evaluate", args=[pk]), {"rating": "great"}, format="json"
    )
    assert response.status_code == 400 and "rating" in response.json()
    response = community.post(
        reverse("services:api-claim-evaluate", args=[pk]),
        {"rating": "satisfied", "comment": "很好"},
        format="json",
    )
    assert response.json()["status"] == ClaimStatus.EVALUATED
    assert Need.objects.get(pk=need.pk).fulfilled == 2
    assert list(need_claimed()) == []


def test_decline_needs_a_reason_and_others_see_nothing(need):
    claim_pk = (
        client_for(UnitStaffFactory(organization__area=need.community))
        .post(reverse("services:api-claims"), {"need": need.pk, "quantity": 1}, format="json")
        .json()["id"]
    )
    community = client_for(need.created_by)
    response = community.post(reverse("services:api-claim-decline", args=[claim_pk]), {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    outsider = client_for(StaffFactory())
    assert (
        outsider.post(reverse("services:api-claim-decline", args=[claim_pk]), {"reason": "x"}).status_code
        == 404
    )
    assert outsider.get(reverse("services:api-claims")).json()["results"] == []
    response = community.post(reverse("services:api-claim-decline", args=[claim_pk]), {"reason": "已解决"})
    assert response.json()["status"] == "declined"
    assert Claim.objects.get(pk=claim_pk).decline_reason == "已解决"


def test_a_community_claims_a_resource_through_the_api(django_assert_num_queries):
    resource = ResourceFactory(contact_phone="13812345678")
    community = CommunityFactory(parent=resource.street)
    with django_assert_num_queries(2):
        rows = client_for().get(reverse("services:api-resources")).json()["results"]
    assert rows[0]["contact_phone"] == "138****5678"
    staff = StaffFactory(area=community)
    response = client_for(staff).post(
        reverse("services:api-claims"),
        {"resource": resource.pk, "community": community.pk, "quantity": 3},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["direction"] == "resource"
    missing = client_for(staff).post(reverse("services:api-claims"), {"resource": resource.pk, "quantity": 1})
    assert missing.status_code == 400 and "community" in missing.json()


def test_the_claims_list_has_a_constant_query_count(need, django_assert_num_queries):
    for _ in range(3):
        client_for(UnitStaffFactory(organization__area=need.community)).post(
            reverse("services:api-claims"), {"need": need.pk, "quantity": 1}, format="json"
        )
    with django_assert_num_queries(2):
        rows = client_for(need.created_by).get(reverse("services:api-claims")).json()["results"]
    assert len(rows) == 3
