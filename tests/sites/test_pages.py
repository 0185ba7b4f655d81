"""The public pages: the map, the list of sites, a site, the area tree."""

import re
from html import unescape

import pytest
from django.urls import reverse

from sites.models import SiteTier
from tests.factories import (
    CommunityFactory,
    DistrictFactory,
    GridFactory,
    SiteFactory,
    TownFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    """姑苏区 with two towns; 平江街道 has a centre, a station in a community and a point in a grid."""
    gusu = DistrictFactory(name="姑苏区")
    pingjiang = TownFactory(name="平江街道", parent=gusu)
    community = CommunityFactory(name="平江社区", parent=pingjiang)
    SiteFactory(name="平江街道党群服务中心", tier=SiteTier.CENTER, area=pingjiang)
    SiteFactory(name="平江社区党群服务站", tier=SiteTier.STATION, area=community)
    SiteFactory(name="网格党群服务点", tier=SiteTier.POINT, area=GridFactory(parent=community))
    canglang = TownFactory(name="沧浪街道", parent=gusu)
    SiteFactory(name="沧浪党群服务站", area=CommunityFactory(parent=canglang))
    return gusu


def text(response):
    return unescape(response.content.decode())


def test_home_renders_the_map_filters_and_config(client, district):
    response = client.get(reverse("sites:home"), {"district": district.pk, "tier": "station"})
    assert response.status_code == 200
    html = text(response)
    assert 'id="site-map"' in html and "js/map.js" in html and "leaflet.markercluster.js" in html
    # The server renders the form from the query string: the chosen district, its towns only.
    assert f'<option value="{district.pk}" selected>姑苏区</option>' in html
    assert '<option value="station" selected>党群服务站</option>' in html
    assert "平江街道</option>" in html
    config = response.context["map_config"]
    assert config["api"] == reverse("sites:api-site-collection")
    assert config["gcj02"] is False
    assert [d["name"] for d in config["districts"]] == ["姑苏区"]
    assert {t["name"] for t in config["towns"]} == {"平江街道", "沧浪街道"}
    # Data reaches JavaScript through json_script, never inline code.
    assert '<script id="map-config" type="application/json">' in html
    assert "onclick" not in html and "onchange" not in html


def test_home_with_a_bad_filter_is_a_400_with_the_form_saying_why(client):
    response = client.get(reverse("sites:home"), {"tier": "castle"})
    assert response.status_code == 400
    assert "tier 参数应为" in text(response)


def test_home_offers_no_towns_until_a_district_is_chosen(client, district):
    html = text(client.get(reverse("sites:home")))
    assert "平江街道</option>" not in html


def test_gcj02_tiles_tell_the_browser_to_shift_points(client, settings, district):
    settings.MAP_TILES_GCJ02 = True
    assert client.get(reverse("sites:home")).context["map_config"]["gcj02"] is True


def test_list_page_filters_and_shows_tier_area_chain_address_and_hours(client, district):
    response = client.get(reverse("sites:site-list"), {"district": district.pk, "tier": "center"})
    assert response.status_code == 200
    html = text(response)
    assert "平江街道党群服务中心" in html and "沧浪党群服务站" not in html
    assert "姑苏区 › 平江街道" in html
    assert "今日 " in html
    assert "共 1 个阵地" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tier": "castle"}, "tier 参数应为"),
        ({"district": "abc"}, "district 参数应为"),
        ({"district": "9" * 20}, "district 参数应为"),  # past 64 bits: SQLite can't even compare it
        ({"colour": "red"}, "未知的查询参数“colour”"),
        ({"page": "99"}, "page 参数应为 1 到 1 之间的页码"),
        ({"page": "x"}, "page 参数应为"),
    ],
)
def test_list_page_bad_parameter_is_a_400_saying_what_to_fix(client, district, params, message):
    response = client.get(reverse("sites:site-list"), params)
    assert response.status_code == 400
    assert message in text(response)


def test_list_page_pages_and_keeps_the_filters_in_the_links(client, district):
    SiteFactory.create_batch(35, area=district.children.first(), tier=SiteTier.POINT)
    response = client.get(reverse("sites:site-list"), {"tier": "point"})
    html = text(response)
    assert "第 1 / 2 页，共 36 个" in html
    assert "?tier=point&page=2" in html
    assert "第 2 / 2 页" in text(client.get(reverse("sites:site-list"), {"tier": "point", "page": 2}))


def test_list_page_query_count_is_constant_as_sites_grow(client, django_assert_num_queries, district):
    url = reverse("sites:site-list")
    # count, page of sites with areas, the areas of their chains, the form's district options
    with django_assert_num_queries(4):
        client.get(url)
    SiteFactory.create_batch(40, area=CommunityFactory(parent=TownFactory(parent=district)))
    with django_assert_num_queries(4):
        client.get(url)
    # with a district: its validation lookup and the town options for the form
    with django_assert_num_queries(6):
        client.get(url, {"district": district.pk})


def test_site_page_shows_everything_about_the_site(client, district, django_assert_num_queries):
    site = SiteFactory(
        name="平江街道党群服务中心二",
        tier=SiteTier.CENTER,
        area=district.children.get(name="平江街道"),
        address="苏州市姑苏区平江路 1 号",
        phone="0512-65220001",
        pioneer_batch=2,
        pioneer_year=2022,
        standard="pioneer",
        floor_area="850.5",
        fn_political=True,
        description="集政治引领、宣传教育、党群服务于一体。",
        opening_hours={"mon": [["08:30", "17:30"]], "sun": []},
    )
    VenueFactory(site=site, name="多功能厅", capacity=80, facilities="投影、音响")
    # site+area, rooms, organisations, area chain;
    # booking hook (services): bookable rooms, their bookings and closed dates today;
    # activities hook (services): the site's upcoming activities
    with django_assert_num_queries(8):
        response = client.get(site.get_absolute_url())
    html = text(response)
    for expected in [
        "党群服务中心",
        "苏州市姑苏区平江路 1 号",
        "0512-65220001",
        "第 2 批（2022 年命名），先锋标准",
        "850.5 ㎡",
        "政治引领",
        "周一</th><td>08:30–17:30",
        "周日</th><td>不开放",
        "多功能厅",
        "可容纳 80 人",
        "投影、音响",
        "集政治引领",
        'class="venue-extra"',
    ]:
        assert expected in html, expected
    assert f'<a href="{district.get_absolute_url()}">姑苏区</a>' in html
    # How to get there: the map apps' URI APIs with our WGS-84 coordinates.
    assert "https://uri.amap.com/marker?position=120." in html and "coordinate=wgs84" in html
    assert "https://api.map.baidu.com/marker?location=31." in html and "coord_type=wgs84" in html
    assert "https://apis.map.qq.com/uri/v1/marker?marker=coord" in html
    assert response.context["map_config"]["site"]["lat"] == float(site.latitude)


def test_site_page_lists_the_organisations_running_it(client):
    from tests.factories import OrganizationFactory

    site = SiteFactory()
    OrganizationFactory(name="平江街道党工委").sites.add(site)
    assert "平江街道党工委" in text(client.get(site.get_absolute_url()))


def test_inactive_site_page_is_a_404(client):
    assert client.get(SiteFactory(is_active=False).get_absolute_url()).status_code == 404


def test_area_index_counts_tiers_per_district_in_one_query(client, district, django_assert_num_queries):
    other = DistrictFactory(name="吴中区", parent=district.parent)
    SiteFactory(
        tier=SiteTier.POINT, area=GridFactory(parent=CommunityFactory(parent=TownFactory(parent=other)))
    )
    with django_assert_num_queries(2):  # the districts, the counts
        response = client.get(reverse("sites:area-index"))
    rows = {area.name: count for area, count in response.context["rows"]}
    assert (rows["姑苏区"].center, rows["姑苏区"].station, rows["姑苏区"].point) == (1, 2, 1)
    assert (rows["吴中区"].center, rows["吴中区"].station, rows["吴中区"].point) == (0, 0, 1)
    assert response.context["total"].total == 5


def test_area_page_shows_breadcrumbs_sub_areas_with_subtree_counts_map_and_list(client, district):
    town = district.children.get(name="平江街道")
    response = client.get(district.get_absolute_url())
    assert response.status_code == 200
    rows = {area.name: count for area, count in response.context["rows"]}
    assert (rows["平江街道"].center, rows["平江街道"].station, rows["平江街道"].point) == (1, 1, 1)
    assert rows["沧浪街道"].total == 1
    html = text(response)
    assert (
        "1</strong> 个党群服务中心、<strong>2</strong> 个党群服务站、<strong>1</strong> 个党群服务点" in html
    )
    assert f'<a href="{town.get_absolute_url()}">平江街道</a>' in html
    assert response.context["map_config"]["fixed"] == {"area": district.pk}
    assert "js/map.js" in html
    assert "网格党群服务点" in html  # the list of the area's sites
    # A town's own centre counts in its total, not in any community's row.
    town_page = client.get(town.get_absolute_url())
    assert town_page.context["total"].center == 1
    assert [(a.name, c.total) for a, c in town_page.context["rows"]] == [("平江社区", 2)]


def test_a_communitys_own_sites_have_their_row_so_the_rows_add_up_to_the_total(client):
    # 道前社区 in the demo: its 站 and 点 belong to the community, none to its three grids, whose rows read
    # 0 under a total of 2 until the community's own sites had a row of their own.
    community = CommunityFactory(name="道前社区")
    grids = [GridFactory(parent=community, name=f"第{i}网格") for i in (1, 2)]
    SiteFactory(tier=SiteTier.STATION, area=community)
    SiteFactory(tier=SiteTier.POINT, area=community)
    SiteFactory(tier=SiteTier.POINT, area=grids[0])
    response = client.get(community.get_absolute_url())
    rows = [(area.name, count.total) for area, count in response.context["rows"]]
    assert rows == [("第1网格", 1), ("第2网格", 0)]
    own, total = response.context["own"], response.context["total"]
    assert (own.station, own.point, total.total) == (1, 1, 3)
    assert sum(count for _name, count in rows) + own.total == total.total
    html = text(response)
    assert "{#" not in html and "own_label" not in html  # the table's comment stays a comment
    assert re.search(r"道前社区直属</th>\s*<td>0</td><td>1</td><td>1</td><td>2</td>", html)


def test_area_page_query_count_is_constant_as_the_tree_grows(client, django_assert_num_queries, district):
    # area, its chain, its children, the counts, the list's count and page, the list's chains, districts
    with django_assert_num_queries(8):
        client.get(district.get_absolute_url())
    for _ in range(3):
        town = TownFactory(parent=district)
        SiteFactory.create_batch(5, area=CommunityFactory(parent=town))
    with django_assert_num_queries(8):
        client.get(district.get_absolute_url())


def test_unknown_area_is_a_404(client):
    assert client.get(reverse("sites:area-detail", args=[999999])).status_code == 404
