"""The public sites API: the map's GeoJSON with its filters, 400s, gzip and ETag; one site; areas."""

import gzip
import json

import pytest
from django.urls import reverse

from sites.models import SiteTier
from tests.factories import (
    CommunityFactory,
    DistrictFactory,
    SiteFactory,
    TownFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

COLLECTION = reverse("sites:api-site-collection")


def features(client, **params):
    response = client.get(COLLECTION, params)
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection"
    assert body["count"] == len(body["features"])
    return body["features"]


def names(client, **params):
    return {f["properties"]["name"] for f in features(client, **params)}


@pytest.fixture
def two_districts():
    """Two districts, each with a town and a community, and sites of every tier."""
    gusu = DistrictFactory(name="姑苏区")
    wuzhong = DistrictFactory(name="吴中区", parent=gusu.parent)
    pingjiang = TownFactory(name="平江街道", parent=gusu)
    canglang = TownFactory(name="沧浪街道", parent=gusu)
    community = CommunityFactory(name="平江社区", parent=pingjiang)
    SiteFactory(
        name="平江街道党群服务中心", tier=SiteTier.CENTER, area=pingjiang, pioneer_batch=1, fn_political=True
    )
    SiteFactory(name="平江社区党群服务站", tier=SiteTier.STATION, area=community)
    SiteFactory(
        name="沧浪党群服务点", tier=SiteTier.POINT, area=CommunityFactory(parent=canglang), fn_service=False
    )
    SiteFactory(name="吴中党群服务站", area=CommunityFactory(parent=TownFactory(parent=wuzhong)))
    SiteFactory(name="已停用的站", area=community, is_active=False)
    return {
        "gusu": gusu,
        "wuzhong": wuzhong,
        "pingjiang": pingjiang,
        "canglang": canglang,
        "community": community,
    }


def test_collection_is_geojson_of_active_sites_with_compact_properties(client, two_districts):
    site = SiteFactory(name="坐标站", latitude="31.123456", longitude="120.654321")
    found = {f["id"]: f for f in features(client)}
    assert len(found) == 5  # the inactive one is not on the map
    feature = found[site.pk]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [120.654321, 31.123456]}
    assert feature["properties"] == {"name": "坐标站", "tier": "station", "pioneer": False}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tier": "center"}, {"平江街道党群服务中心"}),
        ({"tier": "point"}, {"沧浪党群服务点"}),
        ({"pioneer": "1"}, {"平江街道党群服务中心"}),
        ({"pioneer": "0"}, {"平江社区党群服务站", "沧浪党群服务点", "吴中党群服务站"}),
        ({"function": "political"}, {"平江街道党群服务中心"}),
        ({"q": "平江"}, {"平江街道党群服务中心", "平江社区党群服务站"}),
    ],
)
def test_collection_filters(client, two_districts, params, expected):
    assert names(client, **params) == expected


def test_collection_filters_by_district_town_and_area(client, two_districts):
    gusu, pingjiang, community = two_districts["gusu"], two_districts["pingjiang"], two_districts["community"]
    assert names(client, district=gusu.pk) == {"平江街道党群服务中心", "平江社区党群服务站", "沧浪党群服务点"}
    assert names(client, district=gusu.pk, town=pingjiang.pk) == {
        "平江街道党群服务中心",
        "平江社区党群服务站",
    }
    assert names(client, area=community.pk) == {"平江社区党群服务站"}
    assert names(client, district=two_districts["wuzhong"].pk, tier="station") == {"吴中党群服务站"}


def test_near_lists_sites_within_a_walk_nearest_first_with_distances(client):
    SiteFactory(name="远", latitude="31.320000", longitude="120.600000")  # ≈2.2 km
    SiteFactory(name="近", latitude="31.302000", longitude="120.600000")  # ≈220 m
    SiteFactory(name="更近", latitude="31.300500", longitude="120.600500")  # ≈70 m
    found = features(client, near="31.30,120.60")
    assert [f["properties"]["name"] for f in found] == ["更近", "近"]
    assert 60 < found[0]["properties"]["distance_m"] < 80
    assert 200 < found[1]["properties"]["distance_m"] < 240


@pytest.mark.parametrize(
    ("params", "parameter", "words"),
    [
        ({"tier": "castle"}, "tier", "tier 参数应为"),
        ({"district": "abc"}, "district", "district 参数应为"),
        ({"district": "999999"}, "district", "不是有效的"),
        ({"town": "1.5"}, "town", "town 参数应为"),
        ({"area": "x"}, "area", "area 参数应为"),
        ({"pioneer": "yes"}, "pioneer", "pioneer 参数应为"),
        ({"function": "fun"}, "function", "function 参数应为"),
        ({"near": "abc"}, "near", "纬度,经度"),
        ({"near": "91,120"}, "near", "纬度应在 -90 到 90 之间"),
        ({"near": "31,181"}, "near", "经度应在 -180 到 180 之间"),
        ({"q": "长" * 51}, "q", "最多 50 个字"),
        ({"tirer": "center"}, "tirer", "未知的查询参数“tirer”"),
    ],
)
def test_bad_filter_is_a_400_naming_the_parameter(client, params, parameter, words):
    response = client.get(COLLECTION, params)
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [parameter]
    assert words in errors[parameter][0]


def test_town_outside_the_district_is_a_400(client, two_districts):
    response = client.get(
        COLLECTION, {"district": two_districts["wuzhong"].pk, "town": two_districts["pingjiang"].pk}
    )
    assert response.status_code == 400
    assert "不在所选的“吴中区”内" in response.json()["town"][0]


def test_collection_is_gzipped_when_the_client_accepts_it(client, two_districts):
    response = client.get(COLLECTION, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    body = json.loads(gzip.decompress(response.content))
    assert body["count"] == 4
    assert response["ETag"].startswith('W/"')  # the gzipped bytes are another representation
    plain = client.get(COLLECTION)
    assert not plain.has_header("Content-Encoding")
    assert json.loads(plain.content) == body


def test_the_map_served_from_cache_follows_every_change(client, two_districts):
    first = gzip.decompress(client.get(COLLECTION, headers={"accept-encoding": "gzip"}).content)
    again = gzip.decompress(client.get(COLLECTION, headers={"accept-encoding": "gzip"}).content)
    assert again == first
    site = SiteFactory(name="新建的站")
    assert (
        "新建的站"
        in gzip.decompress(client.get(COLLECTION, headers={"accept-encoding": "gzip"}).content).decode()
    )
    site.name = "改了名的站"
    site.save()
    assert "改了名的站" in client.get(COLLECTION).content.decode()
    site.is_active = False
    site.save()
    assert "改了名的站" not in client.get(COLLECTION).content.decode()


def test_unchanged_map_is_a_304_and_a_change_gives_a_new_etag(
    client, two_districts, django_assert_num_queries
):
    etag = client.get(COLLECTION, {"tier": "station"})["ETag"]
    assert etag
    with django_assert_num_queries(1):  # one aggregate, no feature read
        cached = client.get(COLLECTION, {"tier": "station"}, headers={"if-none-match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert client.get(COLLECTION, {"tier": "point"}, headers={"if-none-match": etag}).status_code == 200

    site = SiteFactory(tier=SiteTier.STATION)
    assert client.get(COLLECTION, {"tier": "station"}, headers={"if-none-match": etag}).status_code == 200
    etag2 = client.get(COLLECTION, {"tier": "station"})["ETag"]
    site.name = "改名"
    site.save()
    assert client.get(COLLECTION, {"tier": "station"}, headers={"if-none-match": etag2}).status_code == 200


def test_bad_filter_is_never_a_304(client):
    response = client.get(COLLECTION, {"tier": "castle"}, headers={"if-none-match": "*"})
    assert response.status_code == 400


def test_collection_query_count_is_constant_as_sites_grow(client, django_assert_num_queries):
    district = DistrictFactory()
    # Placed away from the `near` point below: at the factory's default spot it would count there
    # whenever the site sequence happens to stand at a multiple of 100 (as when this test runs alone).
    far = {"latitude": "31.900000", "longitude": "121.300000"}
    SiteFactory(area=CommunityFactory(parent=TownFactory(parent=district)), **far)
    # ETag aggregate + the rows; a district filter adds its validation lookup.
    with django_assert_num_queries(2):
        client.get(COLLECTION)
    with django_assert_num_queries(3):
        client.get(COLLECTION, {"district": district.pk})
    community = CommunityFactory(parent=TownFactory(parent=district))
    SiteFactory.create_batch(30, area=community, latitude="31.300100", longitude="120.600100")
    with django_assert_num_queries(2):
        assert client.get(COLLECTION).json()["count"] == 31
    with django_assert_num_queries(3):
        client.get(COLLECTION, {"district": district.pk})
    with django_assert_num_queries(3):  # ETag aggregate, the distance candidates, their rows
        assert client.get(COLLECTION, {"near": "31.30,120.60"}).json()["count"] == 30


def test_site_detail_is_a_feature_with_everything_and_rooms(client, two_districts, django_assert_num_queries):
    site = SiteFactory(
        name="平江街道党群服务中心二",
        tier=SiteTier.CENTER,
        area=two_districts["pingjiang"],
        pioneer_batch=2,
        pioneer_year=2022,
        standard="pioneer",
        floor_area="850.5",
        opening_hours={"mon": [["08:30", "11:30"], ["13:30", "17:30"]], "sun": []},
    )
    VenueFactory(site=site, name="多功能厅", capacity=80, facilities="投影、音响")
    VenueFactory(site=site, name="党员活动室", capacity=20)
    with django_assert_num_queries(4):  # site+area, rooms, organisations, area chain
        response = client.get(reverse("sites:api-site-detail", args=[site.pk]))
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["id"] == site.pk
    props = feature["properties"]
    assert props["tier_label"] == "党群服务中心"
    assert props["pioneer_batch"] == 2 and props["standard_label"] == "先锋标准"
    assert [a["name"] for a in props["area_chain"]][-2:] == ["姑苏区", "平江街道"]
    assert props["hours_weekly"][0] == {"day": "周一", "hours": "08:30–11:30、13:30–17:30"}
    assert props["hours_weekly"][6] == {"day": "周日", "hours": "不开放"}
    assert [r["name"] for r in props["rooms"]] == ["党员活动室", "多功能厅"]
    assert props["rooms"][1]["capacity"] == 80
    assert props["url"] == site.get_absolute_url()


def test_inactive_or_missing_site_is_a_404(client):
    site = SiteFactory(is_active=False)
    assert client.get(reverse("sites:api-site-detail", args=[site.pk])).status_code == 404
    assert client.get(reverse("sites:api-site-detail", args=[999999])).status_code == 404


def test_areas_filter_by_parent_and_level_paginated(client, two_districts, django_assert_num_queries):
    gusu = two_districts["gusu"]
    url = reverse("sites:api-area-list")
    body = client.get(url, {"parent": gusu.pk}).json()
    assert {a["name"] for a in body["results"]} == {"平江街道", "沧浪街道"}
    assert body["count"] == 2
    body = client.get(url, {"level": "district"}).json()
    assert {a["name"] for a in body["results"]} == {"姑苏区", "吴中区"}
    TownFactory.create_batch(5, parent=gusu)
    with django_assert_num_queries(3):  # parent lookup, count, page
        assert client.get(url, {"parent": gusu.pk}).json()["count"] == 7


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"level": "province"}, "level"), ({"parent": "abc"}, "parent"), ({"parnet": "1"}, "parnet")],
)
def test_bad_area_filter_is_a_400(client, params, parameter):
    response = client.get(reverse("sites:api-area-list"), params)
    assert response.status_code == 400
    assert parameter in response.json()[parameter][0]


def test_schema_documents_the_endpoints(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert {"/api/sites/", "/api/sites/{id}/", "/api/areas/"} <= set(paths)
    parameters = {p["name"] for p in paths["/api/sites/"]["get"]["parameters"]}
    assert {"district", "town", "tier", "pioneer", "function", "q", "near", "area"} <= parameters
    assert "304" in paths["/api/sites/"]["get"]["responses"]
