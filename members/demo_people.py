"""Demo party members (called from members.demo.seed): the articles' "苏会党员" 行动党支部 of the
会议中心, whose 在职党员 report to 道前社区's grids, and 苏州中心's "先锋楼长"; `scale="city"` adds
≈560,000 generated members across the ≈35,000 organisations, with bulk inserts.

People's names are generated, never taken from the articles; 身份证号 are made-up numbers with a valid
check character, kept (like every number) only as fingerprint and last four.
"""

import datetime as dt
import random
import time

from django.db import connection
from django.utils import timezone

from sites.models import Area, AreaLevel

from .id_numbers import fingerprint, with_check_character
from .models import (
    CommunityReporting,
    Gender,
    Member,
    Membership,
    MemberStatus,
    Organization,
    OrganizationKind,
    Role,
    User,
)
from .roster import one_year_after

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁沈"
)
GIVEN = "建国伟明华丽敏静强磊军洋勇艳杰娟涛超秀英霞平刚桂芳晨宇欣怡浩然子涵雨萱梓轩思远佳琪文博嘉怡"

# (organisation, area path of its community, 党小组 to create under it or None, members: (name, gender,
# birth year, workplace, status, reporting community path or None, grid name))
NAMED = [
    (
        "“苏会党员”行动党支部",
        ("姑苏区", "沧浪街道", "道前社区"),
        "便民服务党小组",
        [
            ("周建华", Gender.MALE, 1978, "苏州会议中心 水电工", MemberStatus.FULL, "道前第一网格"),
            ("沈丽娟", Gender.FEMALE, 1985, "苏州会议中心 客房部主管", MemberStatus.FULL, "道前第二网格"),
            ("陆明", Gender.MALE, 1990, "苏州会议中心 电工", MemberStatus.FULL, "道前第三网格"),
            (
                "顾晓雯",
                Gender.FEMALE,
                1996,
                "苏州会议中心 会务专员",
                MemberStatus.PROBATIONARY,
                "道前第一网格",
            ),
            ("钱立新", Gender.MALE, 1972, "苏州会议中心 工程部经理", MemberStatus.FULL, "道前第二网格"),
        ],
    ),
    (
        "苏州中心党委",
        ("苏州工业园区", "湖西社区工委", "星港社区"),
        None,
        [
            ("吴志强", Gender.MALE, 1982, "苏州中心大厦 先锋楼长", MemberStatus.FULL, "星港第一网格"),
            ("朱雅琴", Gender.FEMALE, 1988, "苏州中心商场 先锋楼长", MemberStatus.FULL, "星港第一网格"),
            ("许晨", Gender.MALE, 1995, "苏州中心物业 服务中心", MemberStatus.PROBATIONARY, None),
        ],
    ),
]


# A party member with a login (role 党员) to see 我的党员档案 (/me/party/): the README's 第一次使用 table.
MEMBER_LOGIN = ("dangyuan", "周建华")
CITY_MEMBERS = 560000  # the party members of `--scale city` (DESIGN.md: a city of 560,000 members)


def seed_member_login(*, password):
    username, name = MEMBER_LOGIN
    member = Member.objects.get(name=name, organization__name="“苏会党员”行动党支部")
    user, created = User.objects.get_or_create(
        username=username, defaults={"role": Role.MEMBER, "first_name": name}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    Member.objects.filter(pk=member.pk).update(user=user)


def seed(*, scale, stdout, members=CITY_MEMBERS):
    seed_named()
    if scale == "city":
        build_city_members(total=members, stdout=stdout)


def demo_id_number(birth_year, sequence, gender):
    """A made-up number for the demo: 320508 (姑苏区), 1 July of the year, an odd 17th digit for men."""
    serial = f"{sequence % 100:02d}{(sequence // 100 % 5) * 2 + (1 if gender == Gender.MALE else 0)}"
    return with_check_character(f"320508{birth_year}0701{serial}")


def seed_named():
    since = timezone.localdate().replace(month=1, day=1)
    sequence = 0
    for org_name, community_path, group_name, people in NAMED:
        organization = Organization.objects.get(name=org_name)
        group = None
        if group_name:
            group, _ = Organization.objects.get_or_create(
                name=group_name,
                parent=organization,
                defaults={"kind": OrganizationKind.GROUP, "area": organization.area},
            )
        community = _area(community_path)
        for name, gender, birth_year, workplace, status, grid_name in people:
            sequence += 1
            number = demo_id_number(birth_year, sequence, gender)
            member, created = Member.objects.get_or_create(
                id_number_hash=fingerprint(number),
                defaults={
                    "name": name,
                    "gender": gender,
                    "birth_year": birth_year,
                    "phone": f"1391234{sequence:04d}",
                    "id_number_last4": number[-4:],
                    "status": status,
                    "joined_on": since.replace(
                        year=since.year - (1 if status == MemberStatus.PROBATIONARY else 10)
                    ),
                    "confirmed_on": since.replace(year=since.year - 9)
                    if status == MemberStatus.FULL
                    else None,
                    "organization": organization,
                    "group": group,
                    "workplace": workplace,
                },
            )
            if not created:
                continue
            Membership.objects.create(member=member, organization=organization, group=group, since=since)
            if grid_name:
                CommunityReporting.objects.create(
                    member=member,
                    community=community,
                    grid=community.children.get(name=grid_name),
                    since=since,
                )


def _area(path):
    area = Area.objects.get(level=AreaLevel.CITY)
    for name in path:
        area = area.children.get(name=name)
    return area


def build_city_members(*, total, stdout, batch=20000, seed=2021):
    """≈`total` members spread over every branch and committee (not over 党小组, which hold no 组织关系
    of their own), each with their membership; about one in twelve has reported to a community and a
    grid in it (in 高新区, 8,000 of ~100,000). Written in batches of `batch`, so memory stays flat."""
    started = time.perf_counter()
    rng = random.Random(seed)
    holders = list(
        Organization.objects.exclude(kind=OrganizationKind.GROUP).values_list("pk", flat=True).order_by("pk")
    )
    groups = {}
    for pk, parent in Organization.objects.filter(kind=OrganizationKind.GROUP).values_list("pk", "parent"):
        groups.setdefault(parent, []).append(pk)
    grids = list(Area.objects.filter(level=AreaLevel.GRID).values_list("pk", "parent_id"))
    if not holders:
        return
    today = timezone.localdate()
    first = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    made = 0
    while made < total:
        size = min(batch, total - made)
        members = []
        for i in range(made, made + size):
            org = holders[i % len(holders)]
            birth_year = rng.randint(1945, 2003)
            gender = Gender.MALE if rng.random() < 0.7 else Gender.FEMALE
            probationary = rng.random() < 0.04
            if probationary:
                joined = today - dt.timedelta(days=rng.randint(30, 330))
            else:
                year = rng.randint(
                    birth_year + 18, max(birth_year + 18, min(birth_year + 45, today.year - 2))
                )
                joined = dt.date(year, rng.randint(1, 12), 1)
            number = f"3205{first + i + 1:013d}"  # unique, not a real number: no check character needed
            members.append(
                Member(
                    name=rng.choice(SURNAMES)
                    + rng.choice(GIVEN)
                    + (rng.choice(GIVEN) if rng.random() < 0.6 else ""),
                    gender=gender,
                    birth_year=birth_year,
                    phone=f"13{rng.randint(0, 999999999):09d}",
                    id_number_hash=fingerprint(number),
                    id_number_last4=number[-4:],
                    status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
                    joined_on=joined,
                    confirmed_on=None if probationary else one_year_after(joined),
                    organization_id=org,
                    group_id=rng.choice(groups[org]) if org in groups and rng.random() < 0.5 else None,
                )
            )
        Member.objects.bulk_create(members, batch_size=5000)
        Membership.objects.bulk_create(
            [
                Membership(
                    member=m, organization_id=m.organization_id, group_id=m.group_id, since=m.joined_on
                )
                for m in members
            ],
            batch_size=5000,
        )
        if grids:
            reporting = []
            for m in members:
                if rng.random() < 1 / 12:
                    grid, community = rng.choice(grids)
                    reporting.append(
                        CommunityReporting(
                            member=m, community_id=community, grid_id=grid, since=today.replace(day=1)
                        )
                    )
            CommunityReporting.objects.bulk_create(reporting, batch_size=5000)
        made += size
    # Freshly bulk-loaded tables have no planner statistics: without them SQLite walks all members in
    # organisation order for a street's roster (1.3 s instead of 5 ms), PostgreSQL guesses nested loops.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    stdout.write(f"全市规模：新增 {made} 名党员（{time.perf_counter() - started:.0f} 秒）。")
