"""Demo co-building units' indicators, so the street's page shows every state: this year's 挂包联系
agreements, 党课 the units gave at their street's communities, and the hardship households they keep in
touch with, made through the write paths (members.meetings, services.hardship). With the claims of
demo_lists, in 双塔街道 沧浪亭管理处 has met all three, 三元交通 has claimed a project but given no 党课
and links one household (behind), 苏大附一院 links two (behind) and its claim still waits, 第十中学 gave a
党课 without an agreement; in 沧浪街道 “苏会党员” has a 党课, a household and a claim.

`--scale city` adds units so that 173 are paired with 19 streets (姑苏区's first), and for every unit
of the city an agreement (most of them), 0–4 households and 0–2 党课, with bulk inserts.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from members import meetings
from members.models import Meeting, MeetingKind, MeetingStatus, Organization, OrganizationKind, Sector, User
from sites.models import Area, AreaLevel

from . import hardship
from .indicator_models import CobuildingAgreement, HardshipLink

# unit, agreement signed, 党课 (host organisation, month) or None, households (community, names)
NAMED = [
    ("苏州市沧浪亭管理处党支部", True, ("联青社区党委", 3), ("沧浪亭社区", ["顾阿婆", "陆老伯", "沈阿姨"])),
    ("苏州三元交通建设工程有限公司党支部", True, None, ("联青社区", ["周大爷"])),
    ("苏州大学附属第一医院党委", True, None, ("联青社区", ["吴阿婆", "钱老师"])),
    ("苏州市第十中学党委", False, ("联青社区党委", 5), None),
    ("苏州市会议中心“苏会党员”党支部", True, ("道前社区党委", 4), ("道前社区", ["朱阿姨"])),
]
CITY_UNITS, CITY_STREETS = 173, 19


def seed(*, scale, stdout):
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    year = timezone.localdate().year
    units = {u.name: u for u in Organization.objects.cobuilding().filter(name__in=[n[0] for n in NAMED])}
    if admin is None or len(units) < len(NAMED):
        stdout.write("共建单位年度指标：没有演示单位，跳过。")
        return
    if not CobuildingAgreement.objects.filter(organization__in=units.values(), year=year).exists():
        with transaction.atomic():
            _named(units, admin, year)
        stdout.write(f"共建单位年度指标：{len(NAMED)} 个演示单位的挂包联系、党课和困难群众。")
    if scale == "city" and CobuildingAgreement.objects.filter(year=year).count() <= len(NAMED):
        build_city_indicators(stdout=stdout, admin=admin, year=year)


def _named(units, admin, year):
    for name, signed, lecture, households in NAMED:
        unit = units[name]
        if signed:
            CobuildingAgreement.objects.create(
                organization=unit,
                street=unit.paired_street,
                year=year,
                signed_on=dt.date(year, 1, 15),
                note="年度挂包联系协议，明确 10 项具体指标",
            )
        if lecture:
            host_name, month = lecture
            start = timezone.make_aware(dt.datetime(year, month, 20, 14))
            meetings.record_meeting(
                by=admin,
                organization=Organization.objects.get(name=host_name),
                attendance={},
                kind=MeetingKind.PARTY_LECTURE,
                start=start,
                end=start + dt.timedelta(hours=2),
                place="社区党员活动室",
                topic="学习贯彻党的二十届三中全会精神",
                presided_by=f"{unit.name}书记",
                given_by=unit,
                # entered the day after, as a secretary would (not months later: that would be 补录)
                now=min(start + dt.timedelta(days=1), timezone.now()),
            )
        if households:
            community_name, names = households
            community = Area.objects.get(level=AreaLevel.COMMUNITY, name=community_name)
            for i, household in enumerate(names):
                hardship.link_household(
                    by=admin,
                    organization=unit,
                    community=community,
                    household_name=household,
                    address=f"{community_name}{i + 3} 幢 {i + 1}01 室",
                    phone=f"1391234{5600 + i}",
                    situation="独居老人，需定期上门探望",
                    started_on=dt.date(year, 2, 1 + i),
                )


def city_streets():
    """The 19 streets the 173 units are paired with: 姑苏区's, then the next towns in path order."""
    towns = list(Area.objects.filter(level=AreaLevel.TOWN).select_related("parent").order_by("path"))
    towns.sort(key=lambda t: t.parent.name != "姑苏区")
    return towns[:CITY_STREETS]


def build_city_indicators(*, stdout, admin, year, seed_value=6):
    rng = random.Random(seed_value)
    streets = city_streets()
    paired = {s.pk: Organization.objects.filter(paired_street=s).count() for s in streets}
    sectors = [s for s in Sector.values if s != Sector.COMMUNITY]
    extra, short = [], CITY_UNITS - sum(paired.values())
    for i in range(max(short, 0)):
        street = streets[i % len(streets)]
        extra.append(
            Organization(
                name=f"{street.name}挂包单位{i // len(streets) + 1}党支部",
                kind=OrganizationKind.BRANCH,
                sector=sectors[i % len(sectors)],
                area=street,
                paired_street=street,
            )
        )
    Organization.objects.bulk_create(extra, batch_size=2000)
    named = [n[0] for n in NAMED]
    units = list(
        Organization.objects.cobuilding().exclude(name__in=named).values_list("pk", "paired_street_id")
    )
    # Hosts of the 党课: the community organisations of each street.
    hosts = {}
    community_heads = Organization.objects.filter(
        area__level=AreaLevel.COMMUNITY, kind=OrganizationKind.COMMITTEE
    ).values_list("pk", "area__parent_id")
    for pk, street in community_heads:
        hosts.setdefault(street, []).append(pk)
    communities = {}
    for pk, street in Area.objects.filter(level=AreaLevel.COMMUNITY).values_list("pk", "parent_id"):
        communities.setdefault(street, []).append(pk)
    agreements, links, lectures = [], [], []
    for unit, street in units:
        if rng.random() < 0.9:
            agreements.append(
                CobuildingAgreement(
                    organization_id=unit,
                    street_id=street,
                    year=year,
                    signed_on=dt.date(year, 1, rng.randint(5, 28)),
                )
            )
        for n in range(rng.choice([0, 1, 2, 3, 3, 4]) if communities.get(street) else 0):
            links.append(
                HardshipLink(
                    organization_id=unit,
                    community_id=rng.choice(communities[street]),
                    household_name=f"困难户{unit}-{n + 1}",
                    address=f"{n + 1} 幢 {n + 1}01 室",
                    situation="生活困难，需定期走访",
                    started_on=dt.date(year, rng.randint(1, 11), 1),
                    created_by=admin,
                )
            )
        street_hosts = hosts.get(street, [])
        for _ in range(rng.choice([0, 1, 1, 2]) if street_hosts else 0):
            start = timezone.make_aware(dt.datetime(year, rng.randint(1, 11), rng.randint(1, 28), 14))
            lectures.append(
                Meeting(
                    organization_id=rng.choice(street_hosts),
                    kind=MeetingKind.PARTY_LECTURE,
                    status=MeetingStatus.HELD,
                    start=start,
                    end=start + dt.timedelta(hours=2),
                    place="社区党员活动室",
                    topic="共建单位党课",
                    given_by_id=unit,
                    created_by=admin,
                )
            )
    CobuildingAgreement.objects.bulk_create(agreements, batch_size=2000)
    HardshipLink.objects.bulk_create(links, batch_size=2000)
    Meeting.objects.bulk_create(lectures, batch_size=2000)
    stdout.write(
        f"共建单位年度指标（城市规模）：新增 {len(extra)} 个共建单位"
        f"（{CITY_STREETS} 个街道共 {CITY_UNITS} 个），"
        f"{len(agreements)} 份挂包联系协议，{len(links)} 户困难群众，{len(lectures)} 次党课。"
    )
