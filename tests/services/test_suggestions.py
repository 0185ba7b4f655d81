"""Suggestions both ways and 不再推荐 (services.matching, services.dismissals): a dismissed resource leaves
the need's ranking, the street's one-query ranking and the resource's list of needs, and comes back on
undo; a resource with a radius reaches the needs within it across streets; a resource's page ranks the
needs it could meet."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from members.models import Role
from services.matching import suggestions_for_need, suggestions_for_resource, suggestions_for_street
from services.models import SuggestionDismissal
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


@pytest.fixture
def street():
    return TownFactory(name="双塔街道", latitude="31.300000", longitude="120.620000")


@pytest.fixture
def community(street):
    return CommunityFactory(parent=street, name="沧浪亭社区", latitude="31.300000", longitude="120.620000")


@pytest.fixture
def need(community):
    return NeedFactory(
        community=community, title="绿化修建", kind="greening", latitude="31.300000", longitude="120.620000"
    )


@pytest.fixture
def near(community, street):
    unit = UnitFactory(name="沧浪亭管理处", area=community, paired_street=street)
    return ResourceFactory(
        organization=unit, title="园林养护队", kind="greening", latitude="31.301000", longitude="120.620000"
    )


@pytest.fixture
def far(community, street):
    unit = UnitFactory(name="园林局", area=community, paired_street=street)
    return ResourceFactory(
        organization=unit, title="绿化志愿队", kind="greening", latitude="31.310000", longitude="120.620000"
    )


def ids(suggestions):
    return [s.resource_id for s in suggestions]


def test_dismissing_takes_a_resource_out_of_every_ranking_and_undo_brings_it_back(
    need, near, far, django_assert_num_queries
):
    staff = StaffFactory(area=need.community)
    api = APIClient()
    api.force_authenticate(staff)
    url = reverse("services:api-suggestion-dismiss", args=[need.pk, near.pk])
    suggested = reverse("services:api-need-suggestions", args=[need.pk])
    assert [row["resource"]["id"] for row in api.get(suggested).json()] == [near.pk, far.pk]

    response = api.post(url, {"reason": "该单位已说明今年排满"}, format="json")
    assert response.status_code == 201, response.content
    row = SuggestionDismissal.objects.get()
    assert (row.by, row.reason) == (staff, "该单位已说明今年排满")
    assert [row["resource"]["id"] for row in api.get(suggested).json()] == [far.pk]
    with django_assert_num_queries(1):  # the street's ranking, dismissals and all
        street = suggestions_for_street(need.community.parent)
    assert ids(street[need.pk]) == [far.pk]
    assert [s.need_id for s in suggestions_for_resource(near)] == []
    again = api.post(url, {}, format="json")
    assert again.status_code == 409 and "已设为不再推荐" in again.json()["detail"]

    assert api.delete(url).status_code == 204
    assert ids(suggestions_for_need(need)) == [near.pk, far.pk]
    assert api.delete(url).status_code == 409


def test_only_the_needs_community_or_its_street_may_dismiss(need, near):
    api = APIClient()
    url = reverse("services:api-suggestion-dismiss", args=[need.pk, near.pk])
    api.force_authenticate(UnitStaffFactory(organization=near.organization))
    assert api.post(url, {}, format="json").status_code == 404  # not a need of the unit's area
    api.force_authenticate(StaffFactory())  # another community's staff
    assert api.post(url, {}, format="json").status_code == 404
    street_staff = StaffFactory(role=Role.STREET_STAFF, area=need.community.parent)
    api.force_authenticate(street_staff)
    assert api.post(url, {"reason": "x" * 201}, format="json").status_code == 400
    assert api.post(url, {}, format="json").status_code == 201
    assert not SuggestionDismissal.objects.exclude(by=street_staff).exists()


def test_the_needs_page_shows_the_ranking_and_staff_dismiss_and_restore_there(
    client, need, near, far, django_assert_num_queries
):
    page = client.get(need.get_absolute_url()).content.decode()
    assert "园林养护队" in page and "约 111 米" in page and "不再推荐" not in page  # the public see why
    staff = StaffFactory(area=need.community)
    client.force_login(staff)
    with django_assert_num_queries(11):  # session, user, need, ranking, claims, photos, dismissed, demands…
        page = client.get(need.get_absolute_url()).content.decode()
    assert page.count(">不再推荐</button>") == 2
    response = client.post(
        reverse("services:suggestion-dismiss", args=[need.pk, near.pk]), {"reason": "场地太小"}
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert page.count(">不再推荐</button>") == 1 and "已设为不再推荐" in page and "场地太小" in page
    client.post(reverse("services:suggestion-restore", args=[need.pk, near.pk]))
    assert not SuggestionDismissal.objects.exists()


def test_a_resource_lists_the_needs_it_could_meet_nearest_first(
    client, street, community, near, django_assert_num_queries
):
    close = NeedFactory(community=community, title="近处绿化", kind="greening", latitude="31.3015",
                        longitude="120.6200")  # fmt: skip
    further = NeedFactory(community=community, title="远处绿化", kind="greening", latitude="31.3100",
                          longitude="120.6200")  # fmt: skip
    other_kind = NeedFactory(community=community, title="法律咨询", kind="legal")
    elsewhere = NeedFactory(community=CommunityFactory(), kind="greening")  # another street
    found = suggestions_for_resource(near)
    assert [s.need_id for s in found][:2] == [close.pk, further.pk]
    assert found[-1].need_id == other_kind.pk and not found[-1].kind_fit
    assert elsewhere.pk not in [s.need_id for s in found]
    true = distance_m(further.latitude, further.longitude, near.latitude, near.longitude)
    assert abs(found[1].distance_m - true) <= 50

    with django_assert_num_queries(3):  # the resource, the ranking, its needs
        page = client.get(reverse("services:resource-detail", args=[near.pk])).content.decode()
    assert page.index("近处绿化") < page.index("远处绿化")
    rows = APIClient().get(reverse("services:api-resource-suggestions", args=[near.pk])).json()
    assert rows[0]["need"]["id"] == close.pk and rows[0]["distance_m"] == found[0].distance_m


def test_a_resource_with_a_radius_reaches_needs_within_it_in_any_street(street, community):
    across = TownFactory(name="沧浪街道", latitude="31.305000", longitude="120.620000")
    neighbour = CommunityFactory(parent=across, latitude="31.305000", longitude="120.620000")
    unit = UnitFactory(area=community, paired_street=street)
    reach = {"kind": "medical", "latitude": "31.300000", "longitude": "120.620000"}
    clinic = ResourceFactory(organization=unit, title="义诊", radius_m=1000, **reach)
    street_only = ResourceFactory(organization=UnitFactory(area=community, paired_street=street), **reach)
    within = NeedFactory(community=neighbour, kind="medical", latitude="31.305000", longitude="120.620000")
    beyond = NeedFactory(community=neighbour, kind="medical", latitude="31.320000", longitude="120.620000")
    home_beyond = NeedFactory(
        community=community, kind="medical", latitude="31.320000", longitude="120.620000"
    )

    assert [s.need_id for s in suggestions_for_resource(clinic)] == [within.pk]
    assert ids(suggestions_for_street(across)[within.pk]) == [clinic.pk]
    assert beyond.pk not in suggestions_for_street(across)
    # without a radius, its street's needs wherever they are; with one, only within it
    assert ids(suggestions_for_street(street)[home_beyond.pk]) == [street_only.pk]
