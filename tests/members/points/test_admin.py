"""The admin of volunteers and points: scoped, and every status or counter moved by the domain functions."""

import pytest
from django.urls import reverse

from members.models import PointRule, PointsEntry, ServiceStatus
from tests.factories import RewardFactory, ServiceRecordFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_staff_verify_by_the_admin_action_and_see_only_their_area(
    volunteer, rule, community_staff, other_staff
):
    record = ServiceRecordFactory(volunteer=volunteer, rule=rule)
    url = reverse("admin:members_servicerecord_changelist")
    assert record.title not in client_for(other_staff).get(url).content.decode()

    response = client_for(community_staff).post(
        url, {"action": "verify", "_selected_action": [record.pk], "reason": ""}, follow=True
    )

    assert "已通过 1 条" in response.content.decode()
    record.refresh_from_db()
    assert record.status == ServiceStatus.VERIFIED
    assert PointsEntry.objects.get().amount == 20


def test_the_ledger_is_read_only_in_the_admin(volunteer, rule, community_staff):
    record = ServiceRecordFactory(volunteer=volunteer, rule=rule)
    client = client_for(community_staff)
    client.post(
        reverse("admin:members_servicerecord_changelist"),
        {"action": "verify", "_selected_action": [record.pk]},
    )
    entry = PointsEntry.objects.get()
    change = client.post(reverse("admin:members_pointsentry_change", args=[entry.pk]), {"amount": 999})
    assert change.status_code == 403
    assert client.get(reverse("admin:members_pointsentry_add")).status_code == 403
    reversed_ = client.post(
        reverse("admin:members_pointsentry_changelist"),
        {"action": "reverse", "_selected_action": [entry.pk], "reason": ""},
        follow=True,
    )
    assert "冲正时请填写原因" in reversed_.content.decode()


def test_changing_a_rule_in_the_admin_makes_a_new_version(city_staff, community):
    rule = PointRule.objects.create(
        code="xunluo",
        name="巡逻",
        category="hazard",
        area=community,
        points_per_unit=5,
        effective_from="2026-01-01",
    )
    client = client_for(city_staff)
    form = {
        "name": "巡逻",
        "category": "hazard",
        "unit": "小时",
        "points_per_unit": 8,
        "monthly_cap": "",
        "evidence_required": "on",
        "effective_from": "2026-06-01",
    }
    client.post(reverse("admin:members_pointrule_change", args=[rule.pk]), form)
    versions = list(
        PointRule.objects.filter(code="xunluo").order_by("version").values_list("version", "points_per_unit")
    )
    assert versions == [(1, 5), (2, 8)]


def test_restocking_adds_to_the_stock(community_staff, community):
    reward = RewardFactory(stock=3, organization__area=community)
    client = client_for(community_staff)
    form = {"name": reward.name, "description": "", "price": reward.price, "active": "on", "add_stock": 5}
    client.post(reverse("admin:members_reward_change", args=[reward.pk]), form)
    reward.refresh_from_db()
    assert reward.stock == 8
