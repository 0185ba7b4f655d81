"""Demo data for the members app: the organisations the articles name, co-building units, demo logins.

Runs after `sites.demo` (it looks areas and sites up by name). `scale="city"` adds ≈35,000 generated
party organisations with bulk inserts. Their members, volunteers and points, and their 组织生活, have
modules of their own beside this one. Every named write is keyed, so seeding twice changes nothing.
"""

from sites.models import Area, AreaLevel, Site

from . import demo_meetings, demo_people, demo_points
from .models import Organization, OrganizationKind, Role, Sector, User

DEMO_PASSWORD = "haitang-demo"

COMMITTEE, GENERAL, BRANCH, GROUP = (
    OrganizationKind.COMMITTEE,
    OrganizationKind.GENERAL_BRANCH,
    OrganizationKind.BRANCH,
    OrganizationKind.GROUP,
)

# name, kind, sector, area path (names from the district down), parent name, sites it runs, secretary,
# paired street (path) for co-building units.
ORGANIZATIONS = [
    (
        "苏州中心党委",
        COMMITTEE,
        Sector.NEW_ORGANIZATION,
        ("苏州工业园区", "湖西社区工委"),
        None,
        ["苏州中心党群服务中心"],
        "",
        None,
    ),
    (
        "创元集团党委",
        COMMITTEE,
        Sector.STATE_OWNED,
        ("姑苏区", "双塔街道"),
        None,
        ["创元集团标志党群服务中心"],
        "刘春奇",
        ("姑苏区", "双塔街道"),
    ),
    ("双塔街道党工委", COMMITTEE, "", ("姑苏区", "双塔街道"), None, ["双塔街道党群服务中心"], "", None),
    ("沧浪街道党工委", COMMITTEE, "", ("姑苏区", "沧浪街道"), None, ["沧浪街道党群服务中心"], "", None),
    (
        "道前社区党委",
        COMMITTEE,
        Sector.COMMUNITY,
        ("姑苏区", "沧浪街道", "道前社区"),
        None,
        ["道前社区党群服务站", "道前古巷党群服务点"],
        "",
        None,
    ),
    ("“苏会党员”行动党支部", BRANCH, "", ("姑苏区", "沧浪街道", "道前社区"), "道前社区党委", [], "", None),
    (
        "联青社区党委",
        COMMITTEE,
        Sector.COMMUNITY,
        ("姑苏区", "双塔街道", "联青社区"),
        None,
        ["联青社区党群服务站"],
        "",
        None,
    ),
    (
        "嘉业阳光城社区党委",
        COMMITTEE,
        Sector.COMMUNITY,
        ("姑苏区", "虎丘街道", "嘉业阳光城社区"),
        None,
        ["嘉业阳光城社区党群服务站"],
        "",
        None,
    ),
    (
        "西津桥社区党委",
        COMMITTEE,
        Sector.COMMUNITY,
        ("虎丘区（苏州高新区）", "枫桥街道", "西津桥社区"),
        None,
        ["西津桥社区党群服务站"],
        "",
        None,
    ),
    (
        "树山村党总支",
        GENERAL,
        Sector.COMMUNITY,
        ("虎丘区（苏州高新区）", "通安镇", "树山村"),
        None,
        ["树山村党群服务站"],
        "",
        None,
    ),
    (
        "湖景花园社区党支部",
        BRANCH,
        Sector.COMMUNITY,
        ("吴中区", "郭巷街道", "湖景花园社区"),
        None,
        ["湖景花园社区党群服务站"],
        "",
        None,
    ),
    (
        "邹家角社区党总支",
        GENERAL,
        Sector.COMMUNITY,
        ("昆山市", "陆家镇", "邹家角社区"),
        None,
        ["邹家角社区党群服务站", "启发广场党群服务点"],
        "江玉琴",
        None,
    ),
    (
        "昆山交发集团党委",
        COMMITTEE,
        Sector.STATE_OWNED,
        ("昆山市", "玉山镇"),
        None,
        ["昆山交发集团标志党群服务中心"],
        "",
        None,
    ),
    (
        "市北村党委",
        COMMITTEE,
        Sector.COMMUNITY,
        ("昆山市", "玉山镇", "市北村"),
        None,
        ["市北村党群服务站"],
        "",
        None,
    ),
    (
        "牌楼社区党委",
        COMMITTEE,
        Sector.COMMUNITY,
        ("太仓市", "浮桥镇", "牌楼社区"),
        None,
        ["牌楼社区党群服务站"],
        "单丽婷",
        None,
    ),
    (
        "史北村党委",
        COMMITTEE,
        Sector.COMMUNITY,
        ("吴江区", "黎里镇", "史北村"),
        None,
        ["史北村党群服务站"],
        "",
        None,
    ),
    # 共驻共建单位, each paired with a street (挂包联系).
    (
        "国网苏州供电公司党委",
        COMMITTEE,
        Sector.STATE_OWNED,
        ("姑苏区", "双塔街道"),
        None,
        [],
        "",
        ("姑苏区", "双塔街道"),
    ),
    (
        "苏州市级机关某局机关党委",
        COMMITTEE,
        Sector.GOVERNMENT,
        ("姑苏区", "沧浪街道"),
        None,
        [],
        "",
        ("姑苏区", "沧浪街道"),
    ),
    (
        "苏州市沧浪亭管理处党支部",
        BRANCH,
        Sector.PUBLIC_INSTITUTION,
        ("姑苏区", "双塔街道"),
        None,
        [],
        "",
        ("姑苏区", "双塔街道"),
    ),
    (
        "苏州市第十中学党委",
        COMMITTEE,
        Sector.SCHOOL,
        ("姑苏区", "双塔街道"),
        None,
        [],
        "",
        ("姑苏区", "双塔街道"),
    ),
    (
        "苏州大学附属第一医院党委",
        COMMITTEE,
        Sector.HOSPITAL,
        ("姑苏区", "双塔街道"),
        None,
        [],
        "",
        ("姑苏区", "双塔街道"),
    ),
    (
        "苏州三元交通建设工程有限公司党支部",
        BRANCH,
        Sector.NEW_ORGANIZATION,
        ("姑苏区", "双塔街道"),
        None,
        [],
        "",
        ("姑苏区", "双塔街道"),
    ),
    (
        "苏州食行生鲜电子商务有限公司党支部",
        BRANCH,
        Sector.NEW_ORGANIZATION,
        ("虎丘区（苏州高新区）", "狮山横塘街道"),
        None,
        [],
        "",
        ("虎丘区（苏州高新区）", "狮山横塘街道"),
    ),
    (
        "镇湖刺绣协会党支部",
        BRANCH,
        Sector.NEW_ORGANIZATION,
        ("虎丘区（苏州高新区）", "枫桥街道"),
        None,
        [],
        "",
        ("虎丘区（苏州高新区）", "枫桥街道"),
    ),
]
# 牌楼社区 set up ten branches on its sites (one of them for the clean-up of the workshops).
PAILOU_BRANCHES = [f"牌楼社区第{n}党支部" for n in "一二三四五六七八九"] + ["牌楼社区环境整治党支部"]

# username, role, area path, name, phone, organisation. Every district and every street with demo sites,
# rooms or projects has a login, so each step of a project and each booking review can be tried; the
# organisers belong to three different organisations, so two of them can clash over one room.
DISTRICT_LOGINS = [
    ("gusu_admin", "姑苏区"),
    ("huqiu_admin", "虎丘区（苏州高新区）"),
    ("wuzhong_admin", "吴中区"),
    ("xiangcheng_admin", "相城区"),
    ("wujiang_admin", "吴江区"),
    ("yuanqu_admin", "苏州工业园区"),
    ("changshu_admin", "常熟市"),
    ("zhangjiagang_admin", "张家港市"),
    ("kunshan_admin", "昆山市"),
    ("taicang_admin", "太仓市"),
]
STREET_LOGINS = [
    ("shuangta", ("姑苏区", "双塔街道")),
    ("canglang", ("姑苏区", "沧浪街道")),
    ("huqiu", ("姑苏区", "虎丘街道")),
    ("fengqiao", ("虎丘区（苏州高新区）", "枫桥街道")),
    ("shishan", ("虎丘区（苏州高新区）", "狮山横塘街道")),
    ("xushuguan", ("虎丘区（苏州高新区）", "浒墅关镇")),
    ("tongan", ("虎丘区（苏州高新区）", "通安镇")),
    ("guoxiang", ("吴中区", "郭巷街道")),
    ("yuanhe", ("相城区", "元和街道")),
    ("lili", ("吴江区", "黎里镇")),
    ("huxi", ("苏州工业园区", "湖西社区工委")),
    ("jinjihu", ("苏州工业园区", "金鸡湖街道")),
    ("yushan", ("常熟市", "虞山街道")),
    ("yangshe", ("张家港市", "杨舍镇")),
    ("lujia", ("昆山市", "陆家镇")),
    ("yushanzhen", ("昆山市", "玉山镇")),
    ("fuqiao", ("太仓市", "浮桥镇")),
]
# The communities of the demo projects (projects/demo.py), each with its own staff login.
COMMUNITY_LOGINS = [
    ("daoqian", ("姑苏区", "沧浪街道", "道前社区")),
    ("lianqing", ("姑苏区", "双塔街道", "联青社区")),
    ("canglangting", ("姑苏区", "双塔街道", "沧浪亭社区")),
    ("jiaye", ("姑苏区", "虎丘街道", "嘉业阳光城社区")),
    ("xijinqiao", ("虎丘区（苏州高新区）", "枫桥街道", "西津桥社区")),
    ("yunhe", ("虎丘区（苏州高新区）", "浒墅关镇", "运河社区")),
    ("xushurenjia", ("虎丘区（苏州高新区）", "浒墅关镇", "浒墅人家社区")),
    ("hujing", ("吴中区", "郭巷街道", "湖景花园社区")),
    ("zoujiajiao", ("昆山市", "陆家镇", "邹家角社区")),
]
ORGANIZER_LOGINS = [
    ("organizer", "苏会党员活动组织者", "“苏会党员”行动党支部"),
    ("organizer2", "联青社区活动组织者", "联青社区党委"),
    ("organizer3", "创元集团活动组织者", "创元集团党委"),
]


def _logins():
    users = []
    for username, district in DISTRICT_LOGINS:
        users.append((username, Role.DISTRICT_ADMIN, (district,), f"{district}管理员", None))
    for username, path in STREET_LOGINS:
        users.append((username, Role.STREET_STAFF, path, f"{path[-1]}工作人员", None))
    for username, path in COMMUNITY_LOGINS:
        users.append((username, Role.COMMUNITY_STAFF, path, f"{path[-1]}工作人员", None))
    for username, name, org in ORGANIZER_LOGINS:
        users.append((username, Role.ORGANIZER, None, name, org))
    # username, role, area path, name, phone (demo numbers 138123456xx), organisation
    return [
        (u, role, path, name, f"138123456{i:02d}", org)
        for i, (u, role, path, name, org) in enumerate(users, 1)
    ]


USERS = _logins()


def seed(
    *,
    scale,
    stdout,
    organizations=35000,
    members=demo_people.CITY_MEMBERS,
    volunteers=demo_points.CITY_VOLUNTEERS,
    entries=demo_points.CITY_ENTRIES,
):
    seed_named()
    _print_logins(stdout)
    if scale == "city":
        build_city_organizations(total=organizations, stdout=stdout)
    # The party members (their own module: the volunteers' and points' seeding sits beside it).
    demo_people.seed(scale=scale, stdout=stdout, members=members)
    demo_people.seed_member_login(password=DEMO_PASSWORD)
    # Volunteers, rules, services, rewards and rankings (and at city scale their 2,000,000 entries).
    demo_points.seed(
        scale=scale, stdout=stdout, password=DEMO_PASSWORD, volunteers=volunteers, entries=entries
    )
    # 三会一课 and terms (at city scale a year of meetings for every organisation), after the members.
    demo_meetings.seed(scale=scale, stdout=stdout, names=[o[0] for o in ORGANIZATIONS] + PAILOU_BRANCHES)


def find_area(path):
    """The area at `path` (names from the district down), under the city."""
    area = Area.objects.get(level=AreaLevel.CITY)
    for name in path:
        area = area.children.get(name=name)
    return area


def seed_named():
    orgs = {}
    for name, kind, sector, path, parent, sites, secretary, paired in ORGANIZATIONS:
        orgs[name] = _organization(
            name, kind, sector, find_area(path), orgs.get(parent), secretary, paired and find_area(paired)
        )
        orgs[name].sites.add(*Site.objects.filter(name__in=sites))
    pailou = orgs["牌楼社区党委"]
    for name in PAILOU_BRANCHES:
        _organization(name, BRANCH, "", pailou.area, pailou, "", None)

    admin, _ = User.objects.update_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "last_name": "系统管理员"}
    )
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    for username, role, path, full_name, phone, org in USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "area": path and find_area(path),
                "is_staff": role != Role.ORGANIZER,
                "last_name": full_name,
                "phone": phone,
                "organization": orgs.get(org),
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()


def _organization(name, kind, sector, area, parent, secretary, paired_street):
    org, _ = Organization.objects.update_or_create(
        name=name,
        area=area,
        defaults={
            "kind": kind,
            "sector": sector,
            "parent": parent,
            "secretary": secretary,
            "paired_street": paired_street,
        },
    )
    return org


def _print_logins(stdout):
    stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}，仅限本机开发）：")
    stdout.write("  admin              超级管理员")
    for username, role, path, _name, _phone, org in USERS:
        where = "／".join(path) if path else org
        stdout.write(f"  {username:<18} {Role(role).label}  {where}")


def build_city_organizations(*, total, stdout):
    """≈`total` organisations: a 党(工)委 per town and per community, co-building units paired with the
    towns, branches under the community organisations and groups under the branches; each town's and
    community's organisation runs the sites in its area."""
    towns = list(Area.objects.filter(level=AreaLevel.TOWN, organizations__isnull=True))
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY, organizations__isnull=True))
    heads = _bulk(
        [Organization(name=f"{t.name}党工委", kind=COMMITTEE, area=t) for t in towns]
        + [
            Organization(name=f"{c.name}党委", kind=COMMITTEE, sector=Sector.COMMUNITY, area=c)
            for c in communities
        ]
    )
    sectors = [s for s in Sector.values if s != Sector.COMMUNITY]
    units = [
        Organization(
            name=f"{town.name}共建单位{n}党支部",
            kind=BRANCH,
            sector=sectors[(i + n) % len(sectors)],
            area=town,
            paired_street=town,
        )
        for i, town in enumerate(towns)
        for n in range(1, 4)
    ]
    community_heads = heads[len(towns) :]
    left = max(total - len(heads) - len(units), 0)
    branch_count = left * 2 // 3
    branches = (
        [
            Organization(
                name=f"{head.area.name}第{i // len(community_heads) + 1}党支部",
                kind=BRANCH,
                area=head.area,
                parent=head,
            )
            for i, head in ((i, community_heads[i % len(community_heads)]) for i in range(branch_count))
        ]
        if community_heads
        else []
    )
    _bulk(units + branches)
    groups = (
        [
            Organization(
                name=f"{branch.name}第{i // len(branches) + 1}党小组",
                kind=GROUP,
                area=branch.area,
                parent=branch,
            )
            for i, branch in ((i, branches[i % len(branches)]) for i in range(left - branch_count))
        ]
        if branches
        else []
    )
    _bulk(groups)
    _link_sites(heads)
    stdout.write(
        f"全市规模：新增 {len(heads) + len(units) + len(branches) + len(groups)} 个党组织/共建单位。"
    )


def _bulk(orgs):
    return Organization.objects.bulk_create(orgs, batch_size=2000)


def _link_sites(heads):
    by_area = {org.area_id: org.pk for org in heads}
    Through = Organization.sites.through
    links = [
        Through(organization_id=by_area[area_id], site_id=site_id)
        for site_id, area_id in Site.objects.filter(area_id__in=by_area).values_list("pk", "area_id")
    ]
    Through.objects.bulk_create(links, batch_size=5000)
