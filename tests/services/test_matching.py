"""Matching suggestions (services.matching): one query for a street's needs, the right kind with
capacity left nearest first, true distances, a unit that took on nothing ahead of a busy one."""

import random

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from services import claims
from services.matching import suggestions_for_street
from sites.geo import distance_m
from tests.factories import (
    CommunityFactory,
    NeedFactory,
    ResourceFactory,
    StaffFactory,
    TownFactory,
    UnitFactory,
    UnitStaffFactory,
)

pytestmark = pytest.mark.django_db

KINDS = ["repair", "elderly", "greening", "legal"]


def point(rng):
    return f"{31.28 + rng.random() * 0.04:.6f}", f"{120.60 + rng.random() * 0.04:.6f}"


def test_fifty_needs_get_the_nearest_resource_of_their_kind_in_the_top_3(django_assert_num_queries):
    rng = random.Random(5)
    street = TownFactory(latitude="31.300000", longitude="120.620000")
    communities = [CommunityFactory(parent=street, latitude="31.30", longitude="120.62") for _ in range(5)]
    resources = []
    for i in range(20):
        lat, lng = point(rng)
        unit = UnitFactory(area=communities[i % 5], paired_street=street)
        resources.append(ResourceFactory(organization=unit, kind=KINDS[i % 4], latitude=lat, longitude=lng))
    # A resource used up this year is never suggested, however near.
    full = ResourceFactory(
        organization=UnitFactory(area=communities[0], paired_street=street), kind="repair", quantity=1,
        latitude="31.300000", longitude="120.620000",
    )  # fmt: skip
    claims.claim_resource(
        resource=full, by=StaffFactory(area=communities[0]), community=communities[0], quantity=1
    )
    needs = []
    for i in range(50):
        lat, lng = point(rng)
        needs.append(
            NeedFactory(community=communities[i % 5], kind=KINDS[i % 4], latitude=lat, longitude=lng)
        )

    with django_assert_num_queries(1):
        found = suggestions_for_street(street)

    for need in needs:
        same_kind = [r for r in resources if r.kind == need.kind]
        true = {r.pk: distance_m(need.latitude, need.longitude, r.latitude, r.longitude) for r in same_kind}
        nearest = min(true, key=true.get)
        top = found[need.pk]
        assert full.pk not in [s.resource_id for s in top]
        assert nearest in [s.resource_id for s in top[:3]]
        for s in top:
            assert s.kind_fit and abs(s.distance_m - true[s.resource_id]) <= 50


def test_a_unit_with_no_claims_ranks_above_a_busy_one_at_the_same_spot():
    street = TownFactory(latitude="31.300000", longitude="120.620000")
    community = CommunityFactory(parent=street, latitude="31.300000", longitude="120.620000")
    busy, idle = (UnitFactory(area=community, paired_street=street) for _ in range(2))
    spot = {"latitude": "31.301000", "longitude": "120.621000", "kind": "repair"}
    busy_resource = ResourceFactory(organization=busy, **spot)
    idle_resource = ResourceFactory(organization=idle, **spot)
    other = NeedFactory(community=community, kind="legal")
    claims.claim_need(need=other, by=UnitStaffFactory(organization=busy), quantity=1)
    need = NeedFactory(community=community, kind="repair", latitude="31.300000", longitude="120.620000")

    top = suggestions_for_street(street)[need.pk]
    assert [s.resource_id for s in top[:2]] == [idle_resource.pk, busy_resource.pk]
    assert (top[0].unit_claims_this_year, top[1].unit_claims_this_year) == (0, 1)

    rows = APIClient().get(reverse("services:api-need-suggestions", args=[need.pk])).json()
    assert rows[0]["resource"]["id"] == idle_resource.pk
    assert set(rows[0]) == {
        "rank",
        "resource",
        "kind_fit",
        "distance_m",
        "unit_claims_this_year",
        "capacity_left",
    }
