"""Demo 三张清单: the articles' cases at every state, made through the write path; `--scale city` adds
20,000 needs, 5,000 resources and 30,000 claims with bulk inserts (counters computed as they are made).

双塔街道's 双向认领 platform (001_d3cf4c11eb5e120a.txt): 沧浪亭管理处 took on 沧浪亭社区's 绿化修建 (done and
evaluated), 三元交通's 党支部 the 联青社区 健身步道 (in progress); 道前社区's 便民维修 by 苏州市会议中心's
"苏会党员" (done, waiting for the community's evaluation). Around them: a draft, an open need, a
pending and a declined claim, a withdrawn need, and a community claiming a unit's resource.
Needs the demo areas and accounts (sites.demo, members.demo); without them it does nothing.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from members.demo import DEMO_PASSWORD
from members.models import Organization, Role, Sector, User
from sites.models import Area, AreaLevel

from . import claims, needs
from .list_models import (
    Claim,
    ClaimDirection,
    ClaimEvent,
    ClaimStatus,
    Need,
    NeedStatus,
    Resource,
    ResourceForm,
    ResourceStatus,
    ServiceCategory,
    ServiceKind,
)

PUBLIC = ServiceCategory.PUBLIC_SERVICE
# login, the unit it speaks for, (sector, the unit's street) when the demo makes the unit itself
UNIT_LOGINS = [
    ("unit_canglangting", "苏州市沧浪亭管理处党支部", None),
    ("unit_sanyuan", "苏州三元交通建设工程有限公司党支部", None),
    ("unit_suhui", "苏州市会议中心“苏会党员”党支部", (Sector.PUBLIC_INSTITUTION, "沧浪街道")),
    ("unit_fuyi", "苏州大学附属第一医院党委", None),
]
# community, title, kind, quantity, unit, the claiming login, what becomes of it
CASES = [
    ("沧浪亭社区", "绿化修建", ServiceKind.GREENING, 1, "项", "unit_canglangting", "evaluated"),
    ("联青社区", "健身步道", ServiceKind.FITNESS, 1, "项", "unit_sanyuan", "in_progress"),
    ("道前社区", "便民维修", ServiceKind.REPAIR, 12, "次", "unit_suhui", "completed"),
    ("联青社区", "高龄老人助浴", ServiceKind.ELDERLY, 20, "人次", "unit_fuyi", "pending"),
    ("沧浪亭社区", "楼道堆物清理", ServiceKind.ENVIRONMENT, 3, "次", "unit_sanyuan", "declined"),
    ("道前社区", "青少年暑期托管", ServiceKind.EDUCATION, 30, "人次", None, "published"),
    ("道前社区", "法律咨询进社区", ServiceKind.LEGAL, 6, "次", None, "draft"),
    ("联青社区", "旧自行车棚改造", ServiceKind.ENVIRONMENT, 1, "项", None, "withdrawn"),
]
RESOURCES = [
    ("unit_canglangting", "园林绿化养护技术服务", ResourceForm.PROFESSIONAL, ServiceKind.GREENING, 12),
    ("unit_sanyuan", "工程建设党员志愿服务队", ResourceForm.VOLUNTEERS, ServiceKind.ENVIRONMENT, 6),
    ("unit_suhui", "“苏会党员”便民维修", ResourceForm.VOLUNTEERS, ServiceKind.REPAIR, 24),
    ("unit_fuyi", "健康义诊进社区", ResourceForm.PROFESSIONAL, ServiceKind.MEDICAL, 4),
]
CITY_NEEDS, CITY_RESOURCES, CITY_CLAIMS = 20_000, 5_000, 30_000
CITY_RADIUS_M = 3000


def seed(*, scale, stdout):
    communities = {
        a.name: a for a in Area.objects.filter(level=AreaLevel.COMMUNITY, name__in={c[0] for c in CASES})
    }
    staff = {
        u.area.name: u
        for u in User.objects.filter(role=Role.COMMUNITY_STAFF, area__in=communities.values()).select_related(
            "area"
        )
    }
    if len(communities) < 3 or len(staff) < 3:
        stdout.write("三张清单：没有演示社区或社区账号，跳过。")
        return
    if not Need.objects.filter(title="绿化修建", community=communities["沧浪亭社区"]).exists():
        with transaction.atomic():
            units = _unit_logins(communities)
            _named(communities, staff, units)
            _resources(units, communities, staff)
        stdout.write(f"三张清单：{len(CASES)} 项文章中的需求，{len(RESOURCES)} 项资源，演示账号 unit_*。")
    if scale == "city" and Need.objects.count() < CITY_NEEDS:
        build_city_lists(stdout=stdout)


def _unit_logins(communities):
    units = {}
    for username, name, made in UNIT_LOGINS:
        unit = Organization.objects.filter(name=name).first()
        if unit is None and made:
            sector, street = made
            town = Area.objects.get(level=AreaLevel.TOWN, name=street)
            unit = Organization.objects.create(
                name=name, kind="branch", sector=sector, area=communities["道前社区"], paired_street=town
            )
        if unit is None:
            continue
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"role": Role.ORGANIZER, "organization": unit, "last_name": f"{unit.name}联络员"},
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        units[username] = user
    return units


def _named(communities, staff, units):
    today = timezone.localdate()
    for community_name, title, kind, quantity, unit, login, outcome in CASES:
        community, recorder = communities[community_name], staff[community_name]
        need = needs.create_need(
            community=community, by=recorder, title=title, kind=kind, category=PUBLIC, quantity=quantity,
            unit=unit, description=f"{community_name}居民反映：{title}。", publish=outcome != "draft",
            wanted_by=today + dt.timedelta(days=180),
        )  # fmt: skip
        if outcome == "withdrawn":
            needs.withdraw_need(need=need, by=recorder)
        if login is None or login not in units:
            continue
        claimant = units[login]
        claim = claims.claim_need(need=need, by=claimant, quantity=quantity, note="本单位党员志愿者承接")
        if outcome == "declined":
            claims.decline_claim(claim=claim, by=recorder, reason="已由物业公司安排清理")
            continue
        if outcome == "pending":
            continue
        claims.accept_claim(claim=claim, by=recorder)
        if outcome == "in_progress":
            continue
        claims.complete_claim(
            claim=claim, by=claimant, on=today, beneficiaries=quantity * 40, note=f"{title}已完成"
        )
        if outcome == "evaluated":
            claims.evaluate_claim(claim=claim, by=recorder, rating="satisfied", comment="居民很满意")


def _resources(units, communities, staff):
    for login, title, form, kind, quantity in RESOURCES:
        if login not in units:
            continue
        resource = needs.create_resource(
            organization=units[login].organization, by=units[login], title=title, form=form, kind=kind,
            quantity=quantity, unit="次", available="每月第一个周六", publish=True,
        )  # fmt: skip
        if login == "unit_fuyi":  # 联青社区 asks the hospital paired with its street for two 义诊
            claims.claim_resource(
                resource=resource, by=staff["联青社区"], community=communities["联青社区"], quantity=2
            )


def build_city_lists(*, stdout, seed_value=16):
    """20,000 needs over the city's communities, 5,000 resources of the co-building units, 30,000 claims
    (one unit at most once per need, never more than asked), each claim with its timeline row."""
    rng = random.Random(seed_value)
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY).values_list("pk", "parent_id"))
    units = list(Organization.objects.cobuilding().values_list("pk", "paired_street_id"))
    if admin is None or not communities or not units:
        stdout.write("三张清单（城市规模）：没有社区或共建单位，跳过。")
        return
    units_of_street = {}
    for pk, street in units:
        units_of_street.setdefault(street, []).append(pk)
    kinds, year, now = list(ServiceKind.values), timezone.localdate().year, timezone.now()
    need_rows = []
    for i in range(CITY_NEEDS):
        community, _ = communities[i % len(communities)]
        need_rows.append(
            Need(
                community_id=community,
                created_by=admin,
                title=f"需求{i + 1}",
                category=PUBLIC,
                kind=rng.choice(kinds),
                quantity=rng.randint(1, 6),
                unit="次",
                status=NeedStatus.PUBLISHED,
                published_at=now,
            )  # fmt: skip
        )
    Need.objects.bulk_create(need_rows, batch_size=2000)
    resource_rows = [
        Resource(
            organization_id=unit,
            created_by=admin,
            title=f"共建资源{i + 1}",
            form=rng.choice(ResourceForm.values),
            kind=rng.choice(kinds),
            year=year,
            quantity=12,
            unit="次",
            street_id=street,
            # One in ten reaches by distance instead (3 km from its unit), across street lines.
            radius_m=CITY_RADIUS_M if i % 10 == 0 else None,
            status=ResourceStatus.PUBLISHED,
        )  # fmt: skip
        for i, (unit, street) in enumerate(units[i % len(units)] for i in range(CITY_RESOURCES))
    ]
    Resource.objects.bulk_create(resource_rows, batch_size=2000)
    street_of = dict(communities)
    claim_rows, taken = [], set()
    statuses = [ClaimStatus.PENDING, ClaimStatus.IN_PROGRESS, ClaimStatus.COMPLETED, ClaimStatus.DECLINED]
    everyone = [u for u, _ in units]
    while len(claim_rows) < CITY_CLAIMS:
        need = need_rows[rng.randrange(len(need_rows))]
        unit = rng.choice(units_of_street.get(street_of[need.community_id]) or everyone)
        if (need.pk, unit) in taken or need.claimed >= need.quantity:
            continue  # one live claim per unit and need; never more than asked
        taken.add((need.pk, unit))
        status = rng.choice(statuses)
        row = Claim(
            direction=ClaimDirection.NEED, need_id=need.pk, organization_id=unit,
            community_id=need.community_id, claimed_by=admin, quantity=1, status=status,
            decline_reason="已另行安排" if status == ClaimStatus.DECLINED else "",
            completed_on=timezone.localdate() if status == ClaimStatus.COMPLETED else None,
            beneficiaries=30 if status == ClaimStatus.COMPLETED else None,
        )  # fmt: skip
        if status != ClaimStatus.DECLINED:
            need.claimed += 1
            need.fulfilled += status == ClaimStatus.COMPLETED
        claim_rows.append(row)
    Claim.objects.bulk_create(claim_rows, batch_size=2000)
    ClaimEvent.objects.bulk_create(
        [ClaimEvent(claim_id=c.pk, status=c.status, by=admin) for c in claim_rows], batch_size=2000
    )
    Need.objects.bulk_update([n for n in need_rows if n.claimed], ["claimed", "fulfilled"], batch_size=2000)
    made = f"{len(need_rows)} 项需求，{len(resource_rows)} 项资源，{len(claim_rows)} 条认领"
    stdout.write(f"三张清单（城市规模）：{made}。")
