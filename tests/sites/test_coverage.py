"""15-minute coverage (issue 18 item 6): each community's straight-line distance to the nearest active site,
checked against a haversine worked out by hand; boundaries; the rate; pages."""

import math

import pytest
from django.urls import reverse

from sites import coverage
from tests.factories import CityFactory, CommunityFactory, DistrictFactory, SiteFactory, TownFactory

pytestmark = pytest.mark.django_db

# Metres per degree on a sphere of radius 6,371,000 m: 2πR / 360.
M_PER_DEG = 2 * math.pi * 6_371_000 / 360  # 111,194.93 m


def hand_haversine(lat1, lng1, lat2, lng2):
    """The haversine formula written out again, step by step, independent of sites.geo."""
    phi1, phi2 = lat1 * math.pi / 180, lat2 * math.pi / 180
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin((lng2 - lng1) * math.pi / 360) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


@pytest.fixture
def world():
    """Two districts. In 东区: a community 0.005° north of a site (556 m: covered), one 0.02° east of it
    (≈1.9 km at 31.3°N: outside), one with no location; in 西区: one 0.05° from anything (5.6 km: beyond
    the search), and an inactive site right beside it (does not count)."""
    city = CityFactory()
    east, west = DistrictFactory(parent=city, name="东区"), DistrictFactory(parent=city, name="西区")
    town_e, town_w = TownFactory(parent=east, name="东街道"), TownFactory(parent=west, name="西街道")
    near = CommunityFactory(parent=town_e, name="近社区", latitude="31.305000", longitude="120.600000")
    far = CommunityFactory(parent=town_e, name="远社区", latitude="31.300000", longitude="120.620000")
    nowhere = CommunityFactory(parent=town_e, name="无位置社区")
    remote = CommunityFactory(parent=town_w, name="偏远社区", latitude="31.350000", longitude="120.550000")
    site = SiteFactory(area=near, name="东街道党群服务中心", latitude="31.300000", longitude="120.600000")
    SiteFactory(
        area=remote, name="已停用服务点", latitude="31.350100", longitude="120.550000", is_active=False
    )
    return {"city": city, "east": east, "west": west, "near": near, "far": far, "nowhere": nowhere,
            "remote": remote, "site": site}  # fmt: skip


def by_name(reaches):
    return {r.community.name: r for r in reaches}


def test_distances_match_a_hand_computed_haversine(world):
    found = by_name(coverage.reaches(world["city"]))
    # 0.005° of latitude, due north: exactly 0.005 × 111,194.93 m.
    assert found["近社区"].distance_m == round(0.005 * M_PER_DEG) == 556
    assert found["近社区"].distance_m == round(hand_haversine(31.305, 120.6, 31.3, 120.6))
    # 0.02° of longitude at 31.3°N: ≈ 0.02 × 111,194.93 × cos(31.3°) = 1,900 m.
    assert found["远社区"].distance_m == round(hand_haversine(31.3, 120.62, 31.3, 120.6))
    assert abs(found["远社区"].distance_m - 0.02 * M_PER_DEG * math.cos(math.radians(31.3))) <= 1
    assert found["近社区"].site_name == found["远社区"].site_name == "东街道党群服务中心"
    assert [found["近社区"].covered, found["远社区"].covered] == [True, False]


def test_beyond_the_search_and_inactive_sites_give_no_distance(world):
    found = by_name(coverage.reaches(world["city"]))
    assert found["偏远社区"].located and found["偏远社区"].distance_m is None
    assert not found["偏远社区"].covered
    assert not found["无位置社区"].located


def test_the_nearest_of_several_sites_wins(world):
    SiteFactory(area=world["far"], name="远社区党群服务站", latitude="31.300000", longitude="120.611000")
    found = by_name(coverage.reaches(world["city"]))
    assert found["远社区"].site_name == "远社区党群服务站"
    assert found["远社区"].distance_m == round(hand_haversine(31.3, 120.62, 31.3, 120.611))
    assert found["远社区"].covered  # ≈ 855 m


def test_the_rate_counts_located_communities_only(world):
    city = coverage.coverage(world["city"])
    assert (city.communities, city.located, city.covered, city.unlocated) == (4, 3, 1, 1)
    assert city.rate == pytest.approx(1 / 3)
    east = coverage.coverage(world["east"])
    assert (east.located, east.covered, east.rate) == (2, 1, 0.5)
    assert [r.community.name for r in east.uncovered] == ["远社区"]
    assert [r.community.name for r in east.without_location] == ["无位置社区"]
    assert coverage.coverage(world["near"]).rate == 1.0  # a community's own subtree
    assert coverage.coverage(TownFactory(parent=world["west"])).rate is None  # nothing located


def test_a_loaded_boundary_is_measured_from_its_edge(world):
    # A square from 120.605 to 120.615 E, 31.295 to 31.305 N: the site at 120.600 lies 0.005° west of its
    # west edge (≈475 m), though the square's centre is ≈1.4 km away.
    square = [[120.605, 31.295], [120.615, 31.295], [120.615, 31.305], [120.605, 31.305], [120.605, 31.295]]
    boxed = CommunityFactory(
        parent=world["far"].parent, name="有边界社区", boundary={"type": "Polygon", "coordinates": [square]}
    )
    found = by_name(coverage.reaches(world["city"]))
    assert found["有边界社区"].measured_from == "boundary"
    assert found["有边界社区"].distance_m == round(hand_haversine(31.3, 120.605, 31.3, 120.6))
    assert found["有边界社区"].covered
    SiteFactory(area=boxed, name="边界内服务点", latitude="31.300000", longitude="120.610000")
    assert by_name(coverage.reaches(world["city"]))["有边界社区"].distance_m == 0


def test_polygon_distance_inside_outside_and_on_a_corner():
    ring = [(0.0, 0.0), (0.01, 0.0), (0.01, 0.01), (0.0, 0.01)]
    assert coverage.polygon_distance_m([ring], 0.005, 0.005) == 0
    assert coverage.polygon_distance_m([ring], 0.005, 0.02) == pytest.approx(0.01 * M_PER_DEG, rel=1e-3)
    assert coverage.polygon_distance_m([ring], -0.003, -0.004) == pytest.approx(0.005 * M_PER_DEG, rel=1e-3)


def test_a_whole_city_is_two_queries_however_many_communities(world, django_assert_num_queries):
    for i in range(20):
        CommunityFactory(parent=world["far"].parent, latitude=f"{31.31 + i * 0.001:.6f}", longitude="120.6")
    # The communities; the active sites in their box (measured in Python).
    with django_assert_num_queries(2):
        found = coverage.by_district(world["city"])
    assert [d.name for d, _c in found] == ["东区", "西区"]


def test_the_list_page_per_district(client, world, django_assert_num_queries):
    with django_assert_num_queries(4):  # the city, the reaches (2), the district choices
        page = client.get(reverse("sites:coverage"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "远社区" in html and "1900 米" in html
    assert "3 公里以上" in html  # 偏远社区
    assert "无位置社区" in html and "尚无位置" in html
    assert "33%" in html  # the city's rate, 1 of 3
    one = client.get(reverse("sites:coverage"), {"area": world["west"].pk}).content.decode()
    assert "偏远社区" in one and '">远社区</a>' not in one


def test_the_map_page_carries_the_communities_for_the_map(client, world):
    page = client.get(reverse("sites:coverage-map"), {"area": world["east"].pk})
    assert page.status_code == 200
    config = page.context["map_config"]
    assert {c["name"]: c["covered"] for c in config["communities"]} == {"近社区": True, "远社区": False}
    assert 'id="coverage-map"' in page.content.decode()
    assert "coverage_map.js" in page.content.decode()


@pytest.mark.parametrize("bad", ["abc", "-1", "99999999999999999999999", "１２"])
def test_a_bad_area_is_a_chinese_400(client, world, bad):
    for name in ("sites:coverage", "sites:coverage-map"):
        page = client.get(reverse(name), {"area": bad})
        assert page.status_code == 400
        assert "area 参数应为区域编号" in page.content.decode()


def test_an_unknown_area_is_a_404(client, world):
    assert client.get(reverse("sites:coverage"), {"area": 999999}).status_code == 404
