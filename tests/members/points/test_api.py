"""The API of volunteers and points: scoped, the same domain functions, Chinese refusals."""

import pytest
from django.db import transaction
from django.urls import reverse

from members.models import EntryKind, PointsEntry, RedemptionStatus, ServiceStatus
from members.points import post_entry
from tests.factories import PointRuleFactory, RewardFactory, ServiceRecordFactory, UserFactory, photo_file

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_volunteer_submits_and_staff_verify_through_the_api(volunteer, community, community_staff):
    rule = PointRuleFactory(area=community, evidence_required=True, points_per_unit=4)
    client = client_for(volunteer.user)
    rules = client.get(reverse("volunteers:api-service-record-rules")).json()
    assert [r["id"] for r in rules] == [rule.pk]

    body = {"rule": rule.pk, "title": "入户信息采集", "place": "5幢", "served_on": "2026-01-05", "units": "3"}
    missing = client.post(reverse("volunteers:api-service-record-list"), body)
    assert missing.status_code == 400 and "须上传服务照片" in missing.json()["detail"]
    created = client.post(reverse("volunteers:api-service-record-list"), {**body, "photos": photo_file()})
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]

    own = client.post(reverse("volunteers:api-service-record-verify", args=[pk]))
    assert own.status_code == 403 and "工作人员" in own.json()["detail"]
    staff = client_for(community_staff)
    verified = staff.post(reverse("volunteers:api-service-record-verify", args=[pk]))
    assert verified.json()["status"] == ServiceStatus.VERIFIED and verified.json()["points"] == 12
    again = staff.post(reverse("volunteers:api-service-record-verify", args=[pk]))
    assert again.status_code == 409

    assert client.get(reverse("volunteers:api-points-balance")).json()["points"] == 12
    assert [e["amount"] for e in client.get(reverse("volunteers:api-points-list")).json()["results"]] == [12]


def test_reject_needs_a_reason(volunteer, rule, community_staff):
    record = ServiceRecordFactory(volunteer=volunteer, rule=rule)
    url = reverse("volunteers:api-service-record-reject", args=[record.pk])
    response = client_for(community_staff).post(url, {}, content_type="application/json")
    assert response.status_code == 400 and "请填写退回原因" in str(response.json())
    done = client_for(community_staff).post(url, {"reason": "时长有误"}, content_type="application/json")
    assert done.json()["status"] == ServiceStatus.REJECTED


def test_other_areas_see_nothing(volunteer, rule, other_staff):
    record = ServiceRecordFactory(volunteer=volunteer, rule=rule)
    client = client_for(other_staff)
    assert client.get(reverse("volunteers:api-service-record-list")).json()["results"] == []
    assert client.get(reverse("volunteers:api-volunteer-list")).json()["results"] == []
    assert client.post(reverse("volunteers:api-service-record-verify", args=[record.pk])).status_code == 404


def test_redeem_and_hand_over_through_the_api(volunteer):
    with transaction.atomic():
        post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=60, source="grant")
    reward = RewardFactory(price=50, stock=1)
    catalogue = client_for(UserFactory()).get(reverse("volunteers:api-reward-list")).json()["results"]
    assert catalogue[0]["stock"] == 1

    client = client_for(volunteer.user)
    made = client.post(
        reverse("volunteers:api-redemption-list"), {"reward": reward.pk}, content_type="application/json"
    )
    assert made.status_code == 201
    short = client.post(
        reverse("volunteers:api-redemption-list"), {"reward": reward.pk}, content_type="application/json"
    )
    assert short.status_code == 409 and "积分不足" in short.json()["detail"]

    unit = client_for(UserFactory(organization=reward.organization))
    handed = unit.post(reverse("volunteers:api-redemption-hand-over", args=[made.json()["id"]]))
    assert handed.json()["status"] == RedemptionStatus.HANDED_OVER
    assert PointsEntry.objects.filter(kind=EntryKind.REDEEM).count() == 1


def test_list_query_counts_are_pinned(volunteer, rule, community_staff, django_assert_num_queries):
    for _ in range(5):
        ServiceRecordFactory(volunteer=volunteer, rule=rule)
    RewardFactory.create_batch(3)
    staff = client_for(community_staff)
    # session, user, the staff's area, the page's count and its rows; the records' photos (one query);
    # the catalogue looks for the user's volunteer record (离我最近 first when there is one)
    for name, queries in (
        ("volunteers:api-service-record-list", 6),
        ("volunteers:api-volunteer-list", 5),
        ("volunteers:api-points-list", 4),
        ("volunteers:api-reward-list", 5),
        ("volunteers:api-redemption-list", 4),
    ):
        staff.get(reverse(name))
        with django_assert_num_queries(queries):
            assert staff.get(reverse(name)).status_code == 200
