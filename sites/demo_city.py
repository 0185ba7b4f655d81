"""Suzhou-scale generated data (`seed_demo --scale city`): ≈100 towns, ≈2,000 communities, ≈10,000 grids,
5,100 sites and 15,000 rooms, written with bulk inserts so it takes seconds, not hours.

Towns carry Suzhou's real town and street names; communities and grids get plausible generated names.
Everything lies inside Suzhou's real extent. The counts are parameters so a test can build a tiny city.
"""

import random
import uuid
from dataclasses import dataclass

from .models import Area, AreaLevel, Site, SiteStandard, SiteTier, Venue

# Suzhou's extent in WGS-84: generated points are clamped into it.
LAT_RANGE = (30.76, 32.04)
LNG_RANGE = (119.91, 121.34)

# Real towns and streets of each county-level division; the demo seed already made a few of them.
TOWN_NAMES = {
    "姑苏区": [
        "平江街道",
        "金阊街道",
        "吴门桥街道",
        "白洋湾街道",
        "苏锦街道",
        "城北街道",
        "娄门街道",
        "观前街道",
    ],
    "虎丘区（苏州高新区）": [
        "狮山街道",
        "横塘街道",
        "东渚街道",
        "镇湖街道",
        "阳山街道",
        "浒通街道",
        "科技城街道",
        "望亭镇",
    ],
    "吴中区": [
        "长桥街道",
        "越溪街道",
        "横泾街道",
        "城南街道",
        "香山街道",
        "太湖街道",
        "木渎镇",
        "甪直镇",
        "胥口镇",
        "东山镇",
        "金庭镇",
        "光福镇",
        "临湖镇",
    ],
    "相城区": [
        "太平街道",
        "黄桥街道",
        "北桥街道",
        "漕湖街道",
        "澄阳街道",
        "北河泾街道",
        "阳澄湖镇",
        "渭塘镇",
        "黄埭镇",
    ],
    "吴江区": [
        "松陵街道",
        "江陵街道",
        "横扇街道",
        "八坼街道",
        "同里镇",
        "平望镇",
        "盛泽镇",
        "七都镇",
        "震泽镇",
        "桃源镇",
    ],
    "苏州工业园区": ["娄葑街道", "斜塘街道", "唯亭街道", "胜浦街道", "湖东社区工委", "月亮湾社区工委"],
    "常熟市": [
        "常福街道",
        "琴川街道",
        "莫城街道",
        "碧溪街道",
        "东南街道",
        "梅李镇",
        "海虞镇",
        "古里镇",
        "沙家浜镇",
        "支塘镇",
        "董浜镇",
        "辛庄镇",
        "尚湖镇",
    ],
    "张家港市": ["塘桥镇", "金港街道", "锦丰镇", "乐余镇", "凤凰镇", "南丰镇", "大新镇", "后塍街道"],
    "昆山市": ["巴城镇", "周市镇", "花桥镇", "淀山湖镇", "张浦镇", "周庄镇", "千灯镇", "锦溪镇", "亭林街道"],
    "太仓市": ["城厢镇", "沙溪镇", "浏河镇", "璜泾镇", "双凤镇", "娄东街道", "陆渡街道", "科教新城街道"],
}
# Communities: two parts make thousands of distinct, ordinary-sounding names (村 in the countryside).
NAME_HEADS = [
    "金塘",
    "新苑",
    "湖畔",
    "枫华",
    "兰亭",
    "桂花",
    "荷塘",
    "锦绣",
    "翠园",
    "馨苑",
    "东港",
    "西园",
    "南湖",
    "北庄",
    "长浜",
    "运河",
    "青阳",
    "春晖",
    "紫薇",
    "梅林",
    "竹园",
    "玉兰",
    "滨湖",
    "清水",
    "柳岸",
    "星湖",
    "华庭",
    "花港",
    "双桥",
    "石湖",
    "香溪",
    "莲花",
    "永安",
    "振华",
    "同心",
    "和合",
    "新城",
    "丰乐",
    "福星",
    "富民",
]
NAME_TAILS = ["", "一", "二", "三", "东", "西", "南", "北", "新村", "花园"]
# Opening hours: centres open every day, stations keep office hours with a lunch break and Saturday
# mornings, points in housing estates open in the evening and at weekends when residents are home.
CENTER_HOURS = {d: [["09:00", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
STATION_HOURS = {
    **{d: [["08:30", "11:30"], ["13:30", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    "sat": [["09:00", "12:00"]],
    "sun": [],
}
POINT_HOURS = {
    **{d: [["18:30", "20:30"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    "sat": [["09:00", "11:30"], ["14:00", "17:00"]],
    "sun": [["09:00", "11:30"]],
}
HOURS = {SiteTier.CENTER: CENTER_HOURS, SiteTier.STATION: STATION_HOURS, SiteTier.POINT: POINT_HOURS}

# name, capacity, facilities
ROOMS = {
    "党员活动室": (30, "投影、音响、党旗、书写白板"),
    "多功能厅": (120, "LED 屏、音响、无线话筒、可移动座椅"),
    "议事厅": (20, "圆桌、电视屏、录音设备"),
    "阅览室": (24, "党建书籍、报刊、无线网络"),
    "党群接待室": (12, "沙发、茶水、便民服务箱"),
    "民生会客厅": (16, "圆桌、茶水、意见箱"),
    "志愿服务站": (10, "医药箱、便民工具、轮椅"),
    "红色影院": (60, "投影幕、环绕音响"),
}


SITE_ROOMS = list(ROOMS)


@dataclass(frozen=True)
class CityCounts:
    towns: int = 100
    communities: int = 2000
    grids: int = 10000
    sites: int = 5100
    rooms: int = 15000


def build_city(*, city, counts, stdout, seed=2018):
    """Generate `counts` of each kind under `city`'s districts (which must exist)."""
    rng = random.Random(seed)
    districts = list(city.children.order_by("code"))
    towns = _bulk_areas(_towns(districts, counts.towns, rng), AreaLevel.TOWN)
    stdout.write(f"  全市规模：{len(towns)} 个镇/街道…")
    communities = _bulk_areas(
        _children(towns, counts.communities, AreaLevel.COMMUNITY, rng), AreaLevel.COMMUNITY
    )
    stdout.write(f"  全市规模：{len(communities)} 个村/社区…")
    grids = _bulk_areas(_children(communities, counts.grids, AreaLevel.GRID, rng), AreaLevel.GRID)
    stdout.write(f"  全市规模：{len(grids)} 个网格…")
    sites = Site.objects.bulk_create(_sites(towns, communities, counts.sites, rng), batch_size=2000)
    stdout.write(f"  全市规模：{len(sites)} 个阵地…")
    Venue.objects.bulk_create(_rooms(sites, counts.rooms), batch_size=2000)
    stdout.write(
        f"全市规模：新增 {len(towns)} 个镇/街道、{len(communities)} 个村/社区、{len(grids)} 个网格、"
        f"{len(sites)} 个阵地、{counts.rooms} 个活动室。"
    )
    return towns, communities, grids, sites


def _point(lat, lng, spread, rng):
    return (
        min(max(rng.gauss(float(lat), spread), LAT_RANGE[0]), LAT_RANGE[1]),
        min(max(rng.gauss(float(lng), spread), LNG_RANGE[0]), LNG_RANGE[1]),
    )


def _new_area(parent, name, level, code, point):
    return Area(
        parent=parent,
        name=name,
        level=level,
        code=code,
        latitude=f"{point[0]:.6f}",
        longitude=f"{point[1]:.6f}",
    )


def _towns(districts, count, rng):
    """Towns spread round-robin over the districts, real names first, then numbered ones."""
    taken = {d.pk: set(d.children.values_list("name", flat=True)) for d in districts}
    names = {d.pk: [n for n in TOWN_NAMES.get(d.name, []) if n not in taken[d.pk]] for d in districts}
    made = {d.pk: 0 for d in districts}
    towns = []
    for i in range(count):
        district = districts[i % len(districts)]
        made[district.pk] += 1
        n = made[district.pk]
        queue = names[district.pk]
        name = queue.pop(0) if queue else f"{district.name[:2]}第{n}街道"
        code = f"{district.code[:6]}{100 + n:03d}000"
        towns.append(
            _new_area(
                district, name, AreaLevel.TOWN, code, _point(district.latitude, district.longitude, 0.09, rng)
            )
        )
    return towns


def _children(parents, count, level, rng):
    """`count` areas of `level` spread evenly over `parents`, named and coded after them."""
    areas = []
    per_parent = {p.pk: 0 for p in parents}
    for i in range(count):
        parent = parents[i % len(parents)]
        per_parent[parent.pk] += 1
        n = per_parent[parent.pk]
        if level == AreaLevel.GRID:
            name, code, spread = f"{parent.name}第{n}网格", None, 0.003
        else:
            head = NAME_HEADS[(n - 1) % len(NAME_HEADS)]
            tail = NAME_TAILS[(n - 1) // len(NAME_HEADS) % len(NAME_TAILS)]
            kind = "村" if parent.name.endswith("镇") and n % 3 == 0 else "社区"
            name, code, spread = f"{head}{tail}{kind}", f"{parent.code[:9]}{n:03d}", 0.015
            if n > len(NAME_HEADS) * len(NAME_TAILS):
                name = f"{head}{n}{kind}"
        areas.append(
            _new_area(parent, name, level, code, _point(parent.latitude, parent.longitude, spread, rng))
        )
    return areas


def _bulk_areas(areas, level):
    """Insert with placeholder paths, then write each path from the primary key the insert returned."""
    depth = areas[0].parent.depth + 1 if areas else 0
    for area in areas:
        area.depth = depth
        area.path = f"tmp-{uuid.uuid4().hex}"
    Area.objects.bulk_create(areas, batch_size=2000)
    for area in areas:
        area.path = Area.build_path(area.parent, area.pk)
    Area.objects.bulk_update(areas, ["path"], batch_size=1000)
    return areas


def _sites(towns, communities, count, rng):
    """A centre per town, a station per community, and 党群服务点 for the rest, near their area."""
    hosts = [(town, SiteTier.CENTER) for town in towns] + [(c, SiteTier.STATION) for c in communities]
    hosts += [
        (communities[rng.randrange(len(communities))], SiteTier.POINT) for _ in range(count - len(hosts))
    ]
    sites = []
    for i, (area, tier) in enumerate(hosts[:count]):
        lat, lng = _point(area.latitude, area.longitude, 0.002, rng)
        pioneer = rng.random() < 0.12
        suffix = "" if tier != SiteTier.POINT else f"{i}号"
        sites.append(
            Site(
                tier=tier,
                area=area,
                name=f"{area.name}{SiteTier(tier).label}{suffix}",
                address=f"苏州市{area.parent.name}{area.name}{rng.randint(1, 399)}号",
                latitude=f"{lat:.6f}",
                longitude=f"{lng:.6f}",
                opening_hours=HOURS[tier],
                phone=f"0512-6{rng.randint(1000000, 9999999)}",
                floor_area=rng.choice([80, 150, 300, 450, 600, 1000, 1500]),
                fn_political=tier != SiteTier.POINT or rng.random() < 0.5,
                fn_education=tier == SiteTier.CENTER or rng.random() < 0.6,
                fn_service=True,
                pioneer_batch=rng.randint(1, 4) if pioneer else None,
                pioneer_year=rng.choice([2018, 2019, 2020, 2021]) if pioneer else None,
                standard=SiteStandard.PIONEER if pioneer else SiteStandard.BASIC,
            )
        )
    return sites


def _rooms(sites, count):
    rooms = []
    for i in range(count):
        site = sites[i % len(sites)]
        k = i // len(sites)
        name = SITE_ROOMS[k % len(SITE_ROOMS)] + ("" if k < len(SITE_ROOMS) else str(k))
        capacity, facilities = ROOMS[SITE_ROOMS[k % len(SITE_ROOMS)]]
        rooms.append(Venue(site=site, name=name, capacity=capacity, facilities=facilities))
    return rooms
