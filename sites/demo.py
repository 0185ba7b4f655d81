"""Demo data for the sites app: Suzhou's real divisions and the places the source articles name.

`seed(scale="demo")` builds the city, its ten county-level divisions with their statistical codes, the
towns, communities, grids and sites of the articles at plausible WGS-84 coordinates, each site with rooms.
`seed(scale="city")` adds Suzhou-scale generated data on top (see `sites/demo_city.py`).
Every write is keyed on a natural key (code, or parent and name), so seeding twice changes nothing.
"""

from .demo_city import HOURS, ROOMS, CityCounts, build_city
from .models import Area, AreaLevel, Site, SiteStandard, SiteTier, Venue

CITY = ("苏州市", "320500000000", 31.2990, 120.5853)

# name, 12-digit statistical code, centre (lat, lng)
DISTRICTS = [
    ("姑苏区", "320508000000", 31.3115, 120.6173),
    ("虎丘区（苏州高新区）", "320505000000", 31.2952, 120.5665),
    ("吴中区", "320506000000", 31.2627, 120.6318),
    ("相城区", "320507000000", 31.3689, 120.6422),
    ("吴江区", "320509000000", 31.1380, 120.6453),
    ("苏州工业园区", "320571000000", 31.3176, 120.7230),
    ("常熟市", "320581000000", 31.6537, 120.7522),
    ("张家港市", "320582000000", 31.8757, 120.5557),
    ("昆山市", "320583000000", 31.3856, 120.9807),
    ("太仓市", "320585000000", 31.4578, 121.1303),
]


def site(name, tier, address, lat, lng, rooms, *, phone="", floor_area=None, fns=None, pioneer=None, std=""):
    """One site of the articles: pioneer is (batch, year) for a 海棠花红先锋阵地."""
    return {
        "name": name,
        "tier": tier,
        "address": address,
        "latitude": lat,
        "longitude": lng,
        "rooms": rooms,
        "phone": phone,
        "floor_area": floor_area,
        "functions": fns or ("political", "education", "service"),
        "pioneer": pioneer,
        "standard": std,
    }


C, S, P = SiteTier.CENTER, SiteTier.STATION, SiteTier.POINT
PIONEER, BASIC = SiteStandard.PIONEER, SiteStandard.BASIC

# district -> town -> {"at": (lat, lng), "sites": [...], "communities": {name: {"at", "sites", "grids"}}}
# Town and community codes follow the statistical pattern (district + 3-digit town + 3-digit village)
# and are illustrative; the district codes are the official ones.
TREE = {
    "姑苏区": {
        "双塔街道": {
            "at": (31.2985, 120.6318),
            "sites": [
                site(
                    "双塔街道党群服务中心",
                    C,
                    "苏州市姑苏区十全街 229 号",
                    31.2979,
                    120.6332,
                    ["多功能厅", "党员活动室", "议事厅", "阅览室"],
                    phone="0512-65193170",
                    floor_area=1200,
                    pioneer=(1, 2018),
                    std=PIONEER,
                ),
                site(
                    "创元集团标志党群服务中心",
                    C,
                    "苏州市姑苏区竹辉路 298 号",
                    31.2931,
                    120.6287,
                    ["党群接待室", "党员活动室", "多功能厅"],
                    phone="0512-68241552",
                    floor_area=320,
                    pioneer=(2, 2019),
                    std=PIONEER,
                ),
            ],
            "communities": {
                "联青社区": {
                    "at": (31.2950, 120.6262),
                    "sites": [
                        site(
                            "联青社区党群服务站",
                            S,
                            "苏州市姑苏区南园北路 28 号",
                            31.2954,
                            120.6255,
                            ["党员活动室", "议事厅", "阅览室"],
                            phone="0512-65201875",
                            floor_area=450,
                            std=BASIC,
                        ),
                    ],
                    "grids": ["联青第一网格", "联青第二网格"],
                },
                "沧浪亭社区": {
                    "at": (31.2998, 120.6290),
                    "sites": [
                        site(
                            "沧浪亭社区党群服务站",
                            S,
                            "苏州市姑苏区人民路 1009 号",
                            31.2996,
                            120.6228,
                            ["党员活动室", "民生会客厅"],
                            phone="0512-65197320",
                            floor_area=380,
                            std=BASIC,
                        ),
                    ],
                    "grids": ["沧浪亭第一网格"],
                },
            },
        },
        "沧浪街道": {
            "at": (31.3042, 120.6121),
            "sites": [
                site(
                    "沧浪街道党群服务中心",
                    C,
                    "苏州市姑苏区道前街 170 号",
                    31.3040,
                    120.6131,
                    ["多功能厅", "党员活动室", "议事厅"],
                    phone="0512-65225761",
                    floor_area=900,
                    std=PIONEER,
                    pioneer=(1, 2018),
                ),
            ],
            "communities": {
                "道前社区": {
                    "at": (31.3050, 120.6108),
                    "sites": [
                        site(
                            "道前社区党群服务站",
                            S,
                            "苏州市姑苏区道前街 100 号",
                            31.3052,
                            120.6101,
                            ["党员活动室", "议事厅", "阅览室", "志愿服务站"],
                            phone="0512-65227081",
                            floor_area=520,
                            pioneer=(2, 2019),
                            std=PIONEER,
                        ),
                        site(
                            "道前古巷党群服务点",
                            P,
                            "苏州市姑苏区学士街 32 号",
                            31.3068,
                            120.6085,
                            ["民生会客厅", "志愿服务站"],
                            floor_area=90,
                            fns=("service",),
                        ),
                    ],
                    "grids": ["道前第一网格", "道前第二网格", "道前第三网格"],
                },
            },
        },
        "虎丘街道": {
            "at": (31.3290, 120.5955),
            "sites": [],
            "communities": {
                "嘉业阳光城社区": {
                    "at": (31.3335, 120.5880),
                    "sites": [
                        site(
                            "嘉业阳光城社区党群服务站",
                            S,
                            "苏州市姑苏区虎泾路 66 号",
                            31.3331,
                            120.5885,
                            ["多功能厅", "党员活动室", "阅览室"],
                            phone="0512-65320917",
                            floor_area=610,
                            std=BASIC,
                        ),
                    ],
                    "grids": ["嘉业第一网格"],
                },
            },
        },
    },
    "虎丘区（苏州高新区）": {
        "枫桥街道": {
            "at": (31.3070, 120.5490),
            "sites": [
                site(
                    "枫桥街道党群服务中心",
                    C,
                    "苏州高新区金山路 188 号",
                    31.3046,
                    120.5531,
                    ["多功能厅", "党员活动室", "议事厅", "红色影院"],
                    phone="0512-68251033",
                    floor_area=1500,
                    pioneer=(1, 2018),
                    std=PIONEER,
                ),
            ],
            "communities": {
                "西津桥社区": {
                    "at": (31.3161, 120.5620),
                    "sites": [
                        site(
                            "西津桥社区党群服务站",
                            S,
                            "苏州高新区枫津路 18 号",
                            31.3158,
                            120.5612,
                            ["党员活动室", "议事厅", "志愿服务站"],
                            phone="0512-68076512",
                            floor_area=420,
                            std=BASIC,
                        ),
                    ],
                    "grids": ["西津桥第一网格", "西津桥第二网格"],
                },
            },
        },
        "狮山横塘街道": {
            "at": (31.2860, 120.5650),
            "sites": [
                site(
                    "索山初心公园党群服务站",
                    S,
                    "苏州高新区玉山路与邓尉路交叉口",
                    31.2842,
                    120.5408,
                    ["党员活动室", "阅览室"],
                    floor_area=260,
                    fns=("political", "education"),
                    pioneer=(3, 2020),
                    std=PIONEER,
                ),
                site(
                    "城市绣花针党群服务点",
                    P,
                    "苏州高新区索山初心公园内",
                    31.2850,
                    120.5417,
                    ["志愿服务站"],
                    floor_area=60,
                    fns=("service",),
                ),
            ],
            "communities": {},
        },
        "浒墅关镇": {
            "at": (31.3825, 120.5040),
            "sites": [],
            "communities": {
                "运河社区": {
                    "at": (31.3790, 120.5110),
                    "sites": [
                        site(
                            "运河社区党群服务站",
                            S,
                            "苏州高新区浒墅关镇文昌路 1 号",
                            31.3788,
                            120.5104,
                            ["党员活动室", "多功能厅"],
                            floor_area=380,
                            std=BASIC,
                        ),
                    ],
                    "grids": [],
                },
                "浒墅人家社区": {
                    "at": (31.3880, 120.5000),
                    "sites": [
                        site(
                            "浒墅人家社区党群服务站",
                            S,
                            "苏州高新区浒墅关镇青灯路 99 号",
                            31.3876,
                            120.4996,
                            ["党员活动室", "阅览室"],
                            floor_area=300,
                            std=BASIC,
                        ),
                    ],
                    "grids": [],
                },
            },
        },
        "通安镇": {
            "at": (31.3620, 120.4580),
            "sites": [],
            "communities": {
                "树山村": {
                    "at": (31.3600, 120.4660),
                    "sites": [
                        site(
                            "树山村党群服务站",
                            S,
                            "苏州高新区通安镇树山村树山路",
                            31.3596,
                            120.4671,
                            ["党员活动室", "议事厅"],
                            floor_area=280,
                            std=BASIC,
                        ),
                    ],
                    "grids": [],
                },
            },
        },
    },
    "吴中区": {
        "郭巷街道": {
            "at": (31.2700, 120.6920),
            "sites": [
                site(
                    "郭巷街道党群服务中心",
                    C,
                    "苏州市吴中区郭巷街道东方大道 988 号",
                    31.2711,
                    120.6938,
                    ["多功能厅", "党员活动室", "议事厅"],
                    phone="0512-65650120",
                    floor_area=1100,
                    std=BASIC,
                ),
            ],
            "communities": {
                "湖景花园社区": {
                    "at": (31.2662, 120.6980),
                    "sites": [
                        site(
                            "湖景花园社区党群服务站",
                            S,
                            "苏州市吴中区郭巷街道湖景路 8 号",
                            31.2658,
                            120.6985,
                            ["党员活动室", "议事厅", "阅览室"],
                            phone="0512-65652281",
                            floor_area=400,
                            pioneer=(3, 2020),
                            std=PIONEER,
                        ),
                    ],
                    "grids": ["湖景第一网格", "湖景第二网格"],
                },
            },
        },
    },
    "相城区": {
        "元和街道": {
            "at": (31.3750, 120.6390),
            "sites": [
                site(
                    "元和街道党群服务中心",
                    C,
                    "苏州市相城区人民路 2988 号",
                    31.3748,
                    120.6401,
                    ["多功能厅", "党员活动室"],
                    floor_area=800,
                    std=BASIC,
                ),
            ],
            "communities": {},
        },
    },
    "吴江区": {
        "黎里镇": {
            "at": (30.9290, 120.7890),
            "sites": [],
            "communities": {
                "史北村": {
                    "at": (30.9650, 120.8520),
                    "sites": [
                        site(
                            "史北村党群服务站",
                            S,
                            "苏州市吴江区黎里镇史北村",
                            30.9648,
                            120.8527,
                            ["党员活动室", "议事厅"],
                            floor_area=260,
                            std=BASIC,
                        ),
                    ],
                    "grids": [],
                },
            },
        },
    },
    "苏州工业园区": {
        "湖西社区工委": {
            "at": (31.3180, 120.6700),
            "sites": [
                site(
                    "苏州中心党群服务中心",
                    C,
                    "苏州工业园区苏州大道西 2 号苏州中心大厦 4 楼",
                    31.3177,
                    120.6738,
                    ["多功能厅", "党员活动室", "党群接待室", "议事厅"],
                    phone="0512-62880066",
                    floor_area=1000,
                    pioneer=(1, 2018),
                    std=PIONEER,
                ),
            ],
            "communities": {
                "星港社区": {
                    "at": (31.3140, 120.6660),
                    "sites": [
                        site(
                            "星港社区党群服务站",
                            S,
                            "苏州工业园区星港街 199 号",
                            31.3138,
                            120.6668,
                            ["党员活动室", "阅览室"],
                            floor_area=350,
                            std=BASIC,
                        ),
                    ],
                    "grids": ["星港第一网格"],
                },
            },
        },
        "金鸡湖街道": {
            "at": (31.3000, 120.7200),
            "sites": [
                site(
                    "金鸡湖街道党群服务中心",
                    C,
                    "苏州工业园区翠薇街 9 号",
                    31.2989,
                    120.7190,
                    ["多功能厅", "党员活动室", "议事厅"],
                    floor_area=900,
                    std=BASIC,
                ),
            ],
            "communities": {},
        },
    },
    "常熟市": {
        "虞山街道": {
            "at": (31.6540, 120.7400),
            "sites": [
                site(
                    "虞山街道党群服务中心",
                    C,
                    "常熟市虞山街道海虞北路 1 号",
                    31.6560,
                    120.7412,
                    ["多功能厅", "党员活动室"],
                    floor_area=850,
                    std=BASIC,
                ),
            ],
            "communities": {},
        },
    },
    "张家港市": {
        "杨舍镇": {
            "at": (31.8740, 120.5540),
            "sites": [
                site(
                    "杨舍镇党群服务中心",
                    C,
                    "张家港市杨舍镇人民中路 25 号",
                    31.8752,
                    120.5531,
                    ["多功能厅", "党员活动室", "阅览室"],
                    floor_area=900,
                    std=BASIC,
                ),
            ],
            "communities": {},
        },
    },
    "昆山市": {
        "陆家镇": {
            "at": (31.3150, 121.0470),
            "sites": [
                site(
                    "陆家镇标志党群服务中心",
                    C,
                    "昆山市陆家镇陆丰东路 1 号",
                    31.3161,
                    121.0471,
                    ["多功能厅", "党员活动室", "议事厅", "阅览室"],
                    phone="0512-57671011",
                    floor_area=1600,
                    pioneer=(1, 2018),
                    std=PIONEER,
                ),
            ],
            "communities": {
                "邹家角社区": {
                    "at": (31.3205, 121.0432),
                    "sites": [
                        site(
                            "邹家角社区党群服务站",
                            S,
                            "昆山市陆家镇菉溪路 158 号",
                            31.3212,
                            121.0420,
                            ["党员活动室", "议事厅"],
                            phone="0512-57671586",
                            floor_area=400,
                            std=BASIC,
                        ),
                        site(
                            "启发广场党群服务点",
                            P,
                            "昆山市陆家镇启发广场小区 12 幢",
                            31.3195,
                            121.0447,
                            ["民生会客厅", "议事厅", "志愿服务站"],
                            floor_area=150,
                            fns=("political", "service"),
                            pioneer=(2, 2019),
                            std=PIONEER,
                        ),
                    ],
                    "grids": ["启发广场网格", "邹家角第二网格"],
                },
            },
        },
        "玉山镇": {
            "at": (31.3860, 120.9640),
            "sites": [
                site(
                    "昆山交发集团标志党群服务中心",
                    C,
                    "昆山市玉山镇前进西路 1801 号",
                    31.3838,
                    120.9452,
                    ["多功能厅", "党员活动室", "党群接待室"],
                    floor_area=600,
                    pioneer=(1, 2018),
                    std=PIONEER,
                ),
                site(
                    "政务办党群服务点",
                    P,
                    "昆山市玉山镇前进西路 1801 号政务服务中心一楼",
                    31.3846,
                    120.9461,
                    ["党群接待室"],
                    floor_area=80,
                    fns=("service",),
                ),
                site(
                    "海棠花红主题公园党群服务点",
                    P,
                    "昆山市玉山镇青阳港路",
                    31.3925,
                    120.9835,
                    ["志愿服务站", "阅览室"],
                    floor_area=120,
                    fns=("political", "education"),
                    pioneer=(2, 2019),
                    std=PIONEER,
                ),
            ],
            "communities": {
                "市北村": {
                    "at": (31.4150, 120.9580),
                    "sites": [
                        site(
                            "市北村党群服务站",
                            S,
                            "昆山市玉山镇市北村北门路",
                            31.4146,
                            120.9577,
                            ["党员活动室", "多功能厅", "议事厅"],
                            floor_area=500,
                            pioneer=(2, 2019),
                            std=PIONEER,
                        ),
                    ],
                    "grids": [],
                },
            },
        },
    },
    "太仓市": {
        "浮桥镇": {
            "at": (31.6020, 121.1700),
            "sites": [
                site(
                    "浮桥镇党群服务中心",
                    C,
                    "太仓市浮桥镇浮南路 9 号",
                    31.6014,
                    121.1712,
                    ["多功能厅", "党员活动室"],
                    floor_area=900,
                    std=BASIC,
                ),
            ],
            "communities": {
                "牌楼社区": {
                    "at": (31.6150, 121.1590),
                    "sites": [
                        site(
                            "牌楼社区党群服务站",
                            S,
                            "太仓市浮桥镇牌楼社区牌楼路 66 号",
                            31.6146,
                            121.1583,
                            ["党员活动室", "议事厅", "多功能厅"],
                            phone="0512-53780210",
                            floor_area=480,
                            pioneer=(3, 2020),
                            std=PIONEER,
                        ),
                    ],
                    "grids": ["牌楼第一网格", "牌楼第二网格", "牌楼第三网格"],
                },
            },
        },
    },
}


def seed(*, scale, stdout, counts=None):
    areas = seed_named()
    stdout.write(f"区域与阵地：{Area.objects.count()} 个区域，{Site.objects.count()} 个阵地。")
    if scale == "city":
        build_city(city=areas["苏州市"], counts=counts or CityCounts(), stdout=stdout)


def seed_named():
    """The real names; returns {name: Area} for every area created, for the other apps' demo data."""
    name, code, lat, lng = CITY
    city = _area(None, name, AreaLevel.CITY, code, lat, lng)
    areas = {name: city}
    for name, code, lat, lng in DISTRICTS:
        areas[name] = _area(city, name, AreaLevel.DISTRICT, code, lat, lng)
    for district_name, towns in TREE.items():
        district = areas[district_name]
        for t, (town_name, town) in enumerate(towns.items(), start=1):
            town_code = f"{district.code[:6]}{t:03d}000"
            town_area = areas[town_name] = _area(district, town_name, AreaLevel.TOWN, town_code, *town["at"])
            _sites(town_area, town["sites"])
            for c, (community_name, community) in enumerate(town["communities"].items(), start=1):
                code = f"{town_code[:9]}{c:03d}"
                area = _area(town_area, community_name, AreaLevel.COMMUNITY, code, *community["at"])
                areas[community_name] = area
                _sites(area, community["sites"])
                for grid_name in community["grids"]:
                    areas[grid_name] = _area(area, grid_name, AreaLevel.GRID, None, *community["at"])
    return areas


def _area(parent, name, level, code, lat, lng):
    area, _ = Area.objects.update_or_create(
        parent=parent,
        name=name,
        defaults={"level": level, "code": code, "latitude": f"{lat:.6f}", "longitude": f"{lng:.6f}"},
    )
    return area


def _sites(area, specs):
    for spec in specs:
        batch, year = spec["pioneer"] or (None, None)
        obj, _ = Site.objects.update_or_create(
            area=area,
            name=spec["name"],
            defaults={
                "tier": spec["tier"],
                "address": spec["address"],
                "latitude": f"{spec['latitude']:.6f}",
                "longitude": f"{spec['longitude']:.6f}",
                "opening_hours": HOURS[spec["tier"]],
                "phone": spec["phone"],
                "floor_area": spec["floor_area"],
                "pioneer_batch": batch,
                "pioneer_year": year,
                "standard": spec["standard"],
                **{f"fn_{fn}": fn in spec["functions"] for fn in ("political", "education", "service")},
            },
        )
        for room in spec["rooms"]:
            capacity, facilities = ROOMS[room]
            Venue.objects.update_or_create(
                site=obj, name=room, defaults={"capacity": capacity, "facilities": facilities}
            )
