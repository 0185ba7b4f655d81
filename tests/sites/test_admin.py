"""The admin as staff use it: scoped lists and pages, scoped choices, roles, query counts, map picker."""

import json

import pytest
from django.urls import reverse

from members.models import Role, User
from sites.models import Area, AreaLevel, Site
from tests.factories import (
    CommunityFactory,
    DistrictFactory,
    OrganizationFactory,
    SiteFactory,
    StaffFactory,
    TownFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_communities():
    town = TownFactory(name="双塔街道")
    a = CommunityFactory(parent=town, name="道前社区")
    b = CommunityFactory(parent=town, name="联青社区")
    return town, a, b


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_community_staff_see_and_open_only_their_community(client, two_communities):
    town, a, b = two_communities
    mine, theirs = (
        SiteFactory(area=a, name="道前社区党群服务站"),
        SiteFactory(area=b, name="联青社区党群服务站"),
    )
    client.force_login(StaffFactory(area=a))
    page = client.get(reverse("admin:sites_site_changelist")).content.decode()
    assert mine.name in page and theirs.name not in page
    own_page = client.get(change_url(mine)).content.decode()
    assert 'name="venues-TOTAL_FORMS"' in own_page  # the rooms inline is there for staff to edit
    for obj in (theirs, VenueFactory(site=theirs), OrganizationFactory(area=b), b):
        assert client.get(change_url(obj)).status_code == 404
    delete_url = reverse("admin:sites_site_delete", args=[theirs.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 404
    assert Site.objects.filter(pk=theirs.pk).exists()


def test_street_staff_see_every_community_of_their_street(client, two_communities):
    town, a, b = two_communities
    SiteFactory(area=a, name="甲站"), SiteFactory(area=b, name="乙站"), SiteFactory(name="别的街道站")
    client.force_login(StaffFactory(role=Role.STREET_STAFF, area=town))
    page = client.get(reverse("admin:sites_site_changelist")).content.decode()
    assert "甲站" in page and "乙站" in page and "别的街道站" not in page


def test_staff_cannot_pick_an_area_outside_their_scope(client, two_communities):
    town, a, b = two_communities
    site = SiteFactory(area=a)
    client.force_login(StaffFactory(area=a))
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "sites", "model_name": "site", "field_name": "area", "term": "社区"},
    )
    ids = {int(r["id"]) for r in json.loads(autocomplete.content)["results"]}
    assert a.pk in ids and b.pk not in ids
    data = {
        "name": site.name, "tier": "station", "area": b.pk, "address": "x", "latitude": "31.3",
        "longitude": "120.6", "opening_hours": "{}", "venues-TOTAL_FORMS": "0", "venues-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(change_url(site), data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    site.refresh_from_db()
    assert site.area == a


def test_community_staff_cannot_move_their_own_community(client, two_communities):
    town, a, b = two_communities
    client.force_login(StaffFactory(area=a))
    page = client.get(change_url(a)).content.decode()
    assert 'name="parent"' not in page and 'name="name"' in page  # parent shown read-only
    grid_parent_choices = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "sites", "model_name": "area", "field_name": "parent", "term": ""},
    )
    assert {int(r["id"]) for r in json.loads(grid_parent_choices.content)["results"]} == {a.pk}


def test_map_picker_renders_with_the_numbers(admin_client):
    site = SiteFactory(latitude="31.305200", longitude="120.610100")
    page = admin_client.get(change_url(site)).content.decode()
    assert 'class="location-picker"' in page
    assert 'data-lat-input="id_latitude"' in page and 'data-lng-input="id_longitude"' in page
    assert 'type="number" name="latitude" value="31.305200"' in page
    assert 'name="longitude" value="120.610100"' in page
    assert "leaflet/leaflet.js" in page and "js/admin/location_picker.js" in page


def test_bad_district_filter_value_is_reported(admin_client):
    response = admin_client.get(reverse("admin:sites_site_changelist"), {"district": "abc"})
    assert response.status_code == 400
    assert "所在区/县级市“abc”不存在或不在您的管辖范围内。" in response.content.decode()


def test_users_are_scoped_masked_and_created_only_by_district_admins(client):
    district = DistrictFactory(name="姑苏区")
    town = TownFactory(parent=district)
    community = CommunityFactory(parent=town)
    outside = CommunityFactory()
    inside_user = StaffFactory(area=community, username="inside", phone="13812345678")
    StaffFactory(area=outside, username="outside")
    street = StaffFactory(role=Role.STREET_STAFF, area=town)
    client.force_login(street)
    page = client.get(reverse("admin:members_user_changelist")).content.decode()
    assert "inside" in page and "outside" not in page
    assert "138****5678" in page and "13812345678" not in page
    assert client.get(reverse("admin:members_user_add")).status_code == 403

    client.force_login(StaffFactory(role=Role.DISTRICT_ADMIN, area=district))
    form = {"username": "newstaff", "password1": "Haitang-2024!x", "password2": "Haitang-2024!x"}
    response = client.post(
        reverse("admin:members_user_add"), {**form, "role": "community_staff", "area": outside.pk}
    )
    assert response.status_code == 200 and not User.objects.filter(username="newstaff").exists()
    response = client.post(
        reverse("admin:members_user_add"), {**form, "role": "street_staff", "area": community.pk}
    )
    assert "街道工作人员的负责区域应为镇/街道" in response.content.decode()
    response = client.post(
        reverse("admin:members_user_add"), {**form, "role": "community_staff", "area": community.pk}
    )
    assert response.status_code == 302
    created = User.objects.get(username="newstaff")
    assert created.is_staff and created.area == community and not created.is_superuser
    assert client.get(change_url(inside_user)).status_code == 200


CHANGELISTS = {
    "sites_area": lambda area, n: [CommunityFactory(parent=area) for _ in range(n)],
    "sites_site": lambda area, n: [SiteFactory(area=CommunityFactory(parent=area)) for _ in range(n)],
    "sites_venue": lambda area, n: [VenueFactory(site=SiteFactory(area=area)) for _ in range(n)],
    "members_organization": lambda area, n: [
        OrganizationFactory(area=area, parent=OrganizationFactory(area=area, kind="committee"))
        for _ in range(n)
    ],
    "members_user": lambda area, n: [
        StaffFactory(area=CommunityFactory(parent=area), phone="13900001111") for _ in range(n)
    ],
}
# Session, user, the staff member's area, the district and town filters' choices, the count, the
# permission cache (2), the rows (+1 on 阵地: the batch filter's distinct values): fixed per page.
PINNED = {"sites_area": 9, "sites_site": 10, "sites_venue": 9, "members_organization": 9, "members_user": 9}


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_changelist_query_counts_are_pinned_and_constant(client, django_assert_num_queries, changelist):
    town = TownFactory()
    client.force_login(StaffFactory(role=Role.STREET_STAFF, area=town))
    url = reverse(f"admin:{changelist}_changelist")
    for new_rows in (2, 10):
        CHANGELISTS[changelist](town, new_rows)
        with django_assert_num_queries(PINNED[changelist]):
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) >= new_rows


def test_organisers_cannot_enter_the_admin(client):
    client.force_login(UserFactory())
    assert client.get(reverse("admin:sites_site_changelist")).status_code == 302


def test_capped_paginator_counts_no_further_than_it_needs(monkeypatch, django_assert_num_queries):
    from sites import admin_paging

    monkeypatch.setattr(admin_paging, "CAP", 3)
    for _ in range(5):
        TownFactory()
    areas = Area.objects.filter(level=AreaLevel.TOWN)
    with django_assert_num_queries(1):
        assert admin_paging.CappedCountPaginator(areas, 2).count == 4  # "more than 3"
    assert admin_paging.CappedCountPaginator(areas[:2], 2).count == 2
