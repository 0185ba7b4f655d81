"""Demo data of volunteers and points: the 积分标准, volunteers of the demo communities, their services,
rewards from the co-building units, last month's frozen ranking; `scale="city"` adds 100,000 volunteers
and 2,000,000 points entries with bulk inserts.

Called from members/demo.py's seed after the organisations and logins exist. Current activity goes
through the domain functions (submit, verify, redeem), so the demo shows what the pages do; last
month's history and the city-scale data are bulk-inserted, entries and balances written together, so
`manage.py reconcile` finds them equal. Seeding twice changes nothing (the demo volunteers are keyed by
phone; the city's by theirs).
"""

import datetime
import io
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Sum
from django.utils import timezone
from PIL import Image

from sites.models import Area, AreaLevel

from .models import (
    EntryKind,
    Organization,
    PointRule,
    PointsEntry,
    Reward,
    Role,
    RuleCategory,
    ServiceRecord,
    ServiceStatus,
    User,
    Volunteer,
)
from .points import refill_months
from .ranking import freeze_month, month_span, previous_month
from .rewards import request_redemption
from .service_records import submit_service, verify_service

# code, name, category, unit, points per unit, monthly cap, evidence required. City-wide (the 园区's
# 积分标准 in 004_9602b97e53ecc5f6.txt: 信息采集、隐患排查、困难帮扶 …).
RULES = [
    ("xinxi-caiji", "入户信息采集", RuleCategory.INFORMATION, "户", 2, 100, False),
    ("yinhuan-paicha", "安全隐患排查", RuleCategory.HAZARD, "次", 10, 100, True),
    ("kunnan-bangfu", "困难群众帮扶", RuleCategory.HARDSHIP, "小时", 10, 200, True),
    ("zhiyuan-fuwu", "志愿服务", RuleCategory.VOLUNTEERING, "小时", 5, 150, False),
    ("xianfeng-gang", "党员先锋岗值守", RuleCategory.PIONEER_POST, "小时", 8, 160, False),
]

# The teams the articles name, by community (path from the district down), with their volunteers.
# The first volunteer of the first team is the demo login `volunteer`.
TEAMS = [
    (
        "“苏会党员”志愿服务队",
        ("姑苏区", "沧浪街道", "道前社区"),
        ["陈晓明", "王秀英", "李建国", "张丽", "刘洋"],
    ),
    ("红管志愿服务队", ("苏州工业园区", "湖西社区工委", "星港社区"), ["周敏", "吴海峰", "郑佳", "孙志强"]),
    ("先锋楼长", ("姑苏区", "虎丘街道", "嘉业阳光城社区"), ["黄伟", "何静", "马骏"]),
    ("邹家角红色管家", ("昆山市", "陆家镇", "邹家角社区"), ["江涛", "钱芳", "朱磊"]),
]

# Rewards of the co-building units (the 联盟单位 that "提供积分兑换实物或服务"): unit, name, price, stock.
REWARDS = [
    ("创元集团党委", "免费理发券", "社区理发室，每次一人", 30, 20),
    ("创元集团党委", "家电上门检修一次", "电视、冰箱、洗衣机等", 120, 10),
    ("昆山交发集团党委", "公交乘车卡（20 元）", "昆山公交通用", 100, 30),
    ("苏州中心党委", "苏州中心观影券", "周一至周四可用", 150, 15),
]

# Services of the current month: volunteer index, rule code, title, place, units, verified?
CURRENT_SERVICES = [
    (0, "zhiyuan-fuwu", "道前古巷老人助餐送餐", "道前古巷党群服务点", "2", True),
    (0, "yinhuan-paicha", "楼道堆物排查", "道前社区 3 幢", "1", False),
    (1, "xinxi-caiji", "入户信息采集", "道前社区 5 幢", "12", True),
    (5, "xianfeng-gang", "红管公益日值守", "星港社区党群服务站", "3", True),
    (6, "kunnan-bangfu", "陪独居老人就医", "苏州大学附属第一医院", "2", False),
]

DEMO_PHONE = "1391234{:04d}"
CITY_PHONE = "19{:09d}"
CITY_VOLUNTEERS = 100_000
CITY_ENTRIES = 2_000_000
CITY_MONTHS = 12
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈"
GIVEN = "建国秀英志强丽娟晓明海峰佳敏静伟磊芳涛军华平红梅玉兰桂英春燕文博思远子涵雨轩浩然欣怡"


def seed(*, scale, stdout, password, volunteers=CITY_VOLUNTEERS, entries=CITY_ENTRIES):
    stdout.write("  volunteer          志愿者  道前社区（兑换项由 organizer3 所在的创元集团确认领取）")
    if not Volunteer.objects.filter(phone=DEMO_PHONE.format(1)).exists():
        seed_named(password=password)
        stdout.write(
            f"志愿服务：{Volunteer.objects.count()} 名志愿者，{PointsEntry.objects.count()} 条积分流水。"
        )
    if scale == "city" and not Volunteer.objects.filter(phone=CITY_PHONE.format(0)).exists():
        build_city(volunteers=volunteers, entries=entries, stdout=stdout)


def _find(path):
    area = Area.objects.get(level=AreaLevel.CITY)
    for name in path:
        area = area.children.get(name=name)
    return area


def _rules(city):
    start = datetime.date(timezone.localdate().year - 1, 1, 1)
    return {
        code: PointRule.objects.get_or_create(
            code=code,
            version=1,
            defaults={
                "name": name,
                "category": category,
                "area": city,
                "unit": unit,
                "points_per_unit": per_unit,
                "monthly_cap": cap,
                "evidence_required": evidence,
                "effective_from": start,
            },
        )[0]
        for code, name, category, unit, per_unit, cap, evidence in RULES
    }


def seed_named(*, password):
    city = Area.objects.get(level=AreaLevel.CITY)
    rules = _rules(city)
    volunteers, staff, teams = [], {}, {}
    for team, path, names in TEAMS:
        community = _find(path)
        teams[community.pk] = team
        # Who verifies: the community's staff login, or its street's.
        staff[community.pk] = (
            User.objects.filter(role=Role.COMMUNITY_STAFF, area=community).first()
            or User.objects.filter(role=Role.STREET_STAFF, area=community.parent).first()
        )
        for name in names:
            n = len(volunteers) + 1
            user = User(
                username="volunteer" if n == 1 else f"volunteer{n}",
                role=Role.VOLUNTEER,
                first_name=name,
                phone=DEMO_PHONE.format(n),
            )
            user.set_password(password)
            user.save()
            volunteers.append(
                Volunteer.objects.create(
                    name=name, phone=DEMO_PHONE.format(n), community=community, user=user
                )
            )
    _last_month(volunteers, rules, staff, teams)
    for index, code, title, place, units, verified in CURRENT_SERVICES:
        volunteer = volunteers[index]
        rule = rules[code]
        record = submit_service(
            volunteer=volunteer,
            by=volunteer.user,
            rule=rule,
            title=title,
            place=place,
            served_on=timezone.localdate(),
            units=Decimal(units),
            photos=[_demo_photo()] if rule.evidence_required else [],
        )
        if verified:
            verify_service(record=record, by=staff[volunteer.community_id])
    offered = [
        Reward.objects.create(
            organization=Organization.objects.get(name=unit),
            name=name,
            description=text,
            price=price,
            stock=stock,
        )
        for unit, name, text, price, stock in REWARDS
    ]
    volunteers[0].refresh_from_db()
    request_redemption(volunteer=volunteers[0], reward=offered[0], by=volunteers[0].user)


def _demo_photo():
    """A small red JPEG as the demo's evidence photo, checked like any upload."""
    buffer = io.BytesIO()
    Image.new("RGB", (160, 120), (200, 30, 40)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="demo.jpg")


def _last_month(volunteers, rules, staff, teams):
    """Last month's verified services and their points, as history (bulk, with their real dates), then
    last month's ranking frozen as the 1st-of-month job would have."""
    year, month = previous_month()
    start, _ = month_span(year, month)
    rng = random.Random(14)
    records, entries = [], []
    for i, volunteer in enumerate(volunteers):
        for j in range(3):
            rule = rules[RULES[(i + j) % len(RULES)][0]]
            units = Decimal(rng.randint(2, 6))
            day = start + datetime.timedelta(days=3 + 7 * j + i % 5, hours=2)
            records.append(
                ServiceRecord(
                    volunteer=volunteer,
                    rule=rule,
                    title=f"{teams[volunteer.community_id]} · {rule.name}",
                    place=volunteer.community.name,
                    served_on=timezone.localdate(day),
                    units=units,
                    status=ServiceStatus.VERIFIED,
                    decided_by=staff[volunteer.community_id],
                    decided_at=day + datetime.timedelta(days=1),
                    points=int(units) * rule.points_per_unit,
                )
            )
    for record in ServiceRecord.objects.bulk_create(records):
        entries.append(
            PointsEntry(
                volunteer=record.volunteer,
                kind=EntryKind.EARN,
                amount=record.points,
                source=f"service:{record.pk}",
                service_record=record,
                rule=record.rule,
                by=record.decided_by,
                note=record.title,
                at=record.decided_at,
            )
        )
    _post_history(entries)
    freeze_month(year, month)


def _post_history(entries):
    """Bulk-insert ledger entries and add them to the balances in one UPDATE per volunteer batch, and
    to the communities' months (the same transaction)."""
    PointsEntry.objects.bulk_create(entries, batch_size=5000)
    totals = {}
    for entry in entries:
        totals[entry.volunteer_id] = totals.get(entry.volunteer_id, 0) + entry.amount
    _add_to_balances(totals)
    refill_months()


def _add_to_balances(totals):
    # One UPDATE … FROM (VALUES …) per batch, on both databases (SQLite ≥ 3.33 has UPDATE FROM).
    table = connection.ops.quote_name(Volunteer._meta.db_table)
    items = list(totals.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 5000):
            batch = items[start : start + 5000]
            values = ", ".join(["(%s, %s)"] * len(batch))
            params = [value for pair in batch for value in pair]
            cursor.execute(
                f"WITH v(id, amount) AS (VALUES {values}) "
                f"UPDATE {table} SET points = {table}.points + v.amount FROM v WHERE {table}.id = v.id",
                params,
            )


def build_city(*, volunteers, entries, stdout, months=CITY_MONTHS, seed=14):
    """`volunteers` in the city's communities (no logins: they are data, not demo accounts) and
    `entries` earn entries spread over the last `months` months, then those months' rankings."""
    rng = random.Random(seed)
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY).values_list("pk", flat=True))
    rule_ids = list(PointRule.objects.filter(code__in=[r[0] for r in RULES]).values_list("pk", flat=True))
    made = Volunteer.objects.bulk_create(
        (
            Volunteer(
                name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                phone=CITY_PHONE.format(i),
                community_id=communities[i % len(communities)],
            )
            for i in range(volunteers)
        ),
        batch_size=5000,
    )
    ids = [v.pk for v in made]
    now = timezone.now()
    span = datetime.timedelta(days=30 * months)
    chunk = 200_000
    totals = dict.fromkeys(ids, 0)
    for start in range(0, entries, chunk):
        batch = [
            PointsEntry(
                volunteer_id=ids[(start + i) % len(ids)],
                kind=EntryKind.EARN,
                amount=rng.choice((5, 10, 10, 16, 20, 30)),
                source=f"city:{start + i}",
                rule_id=rule_ids[(start + i) % len(rule_ids)],
                note="历史积分",
                at=now - span * rng.random(),
            )
            for i in range(min(chunk, entries - start))
        ]
        PointsEntry.objects.bulk_create(batch, batch_size=5000)
        for entry in batch:
            totals[entry.volunteer_id] += entry.amount
    # Each balance and community month moved once, after all the entries are in (same transaction).
    _add_to_balances(totals)
    refill_months()
    frozen = 0
    year, month = previous_month()
    for _ in range(3):
        frozen += freeze_month(year, month)
        year, month = previous_month(datetime.date(year, month, 1))
    earned = PointsEntry.objects.filter(source__startswith="city:").aggregate(total=Sum("amount"))["total"]
    stdout.write(f"全市规模：新增 {len(ids)} 名志愿者、{entries} 条积分流水（共 {earned} 分），")
    stdout.write(f"近 3 个月评优名单 {frozen} 条。")
