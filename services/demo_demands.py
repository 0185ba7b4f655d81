"""Demo residents' demands (issue 17): the articles' cases at every state, and at city scale 300,000
demands over a year. Run from `services.demo.seed`; needs the demo areas, staff and members.

The named cases go through the one write path (services/demands.py), each step dated in the past by
its `now`, so their timelines are what the pages would have written. 启发广场小区's 电动车乱停乱放
(昆山陆家镇邹家角社区) and the 灯泡更换 and 家电维修 that the “苏会党员” members do in 道前社区.

The city scale is bulk inserts (a step at a time through the functions would take hours): demands and
their transitions built together from one simulated history each, so replaying the transitions still
gives every demand's state (tests/services/demands/test_demo.py checks it on a small city).
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from members.demo import DEMO_PASSWORD, find_area
from members.models import CommunityReporting, Member, PointRule, Role, RuleCategory, User, Volunteer
from sites.models import Area, AreaLevel

from . import demands as ops
from .demand_models import Demand, DemandCategory, DemandStatus, DemandTransition, Evaluation, Rating
from .resident_models import Resident
from .working_days import deadline_after, working_days_between

S = DemandStatus
CATEGORIES = [
    ("环境秩序", 5),
    ("设施维修", 3),
    ("家电维修", 5),
    ("邻里纠纷", 10),
    ("为老服务", 3),
    ("其他", 5),
]
CITY_DEMANDS = 300_000
QIFA = ("昆山市", "陆家镇", "邹家角社区")
DAOQIAN = ("姑苏区", "沧浪街道", "道前社区")
# (login, name, community path, grid name) of the demo residents
RESIDENTS = [("jumin", "李阿姨", DAOQIAN, "道前第一网格"), ("jumin2", "陈先生", QIFA, "启发广场网格")]
MEMBER_LOGIN = ("suhui", "周建华")  # the “苏会党员” member who takes the orders


def seed(*, scale, stdout, city_demands=CITY_DEMANDS):
    categories = {name: DemandCategory.objects.get_or_create(name=name, defaults={"deadline_days": days})[0]
                  for name, days in CATEGORIES}  # fmt: skip
    try:
        qifa, daoqian = find_area(QIFA), find_area(DAOQIAN)
    except Area.DoesNotExist:
        stdout.write("居民诉求：没有演示社区，跳过。")
        return
    if not Demand.objects.filter(community__in=[qifa, daoqian]).exists():
        _named(categories, stdout)
    if scale == "city":
        build_city(total=city_demands, stdout=stdout)


def _account(username, name, role, **fields):
    user, made = User.objects.get_or_create(
        username=username, defaults={"role": role, "first_name": name, **fields}
    )
    if made:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _resident(username, name, path, grid_name):
    community = find_area(path)
    grid = community.children.filter(name=grid_name).first()
    user = _account(username, name, Role.RESIDENT, phone=f"1391234{len(username):04d}")
    return Resident.objects.get_or_create(
        user=user, defaults={"name": name, "community": community, "grid": grid}
    )[0]


def _member():
    member = Member.objects.filter(name=MEMBER_LOGIN[1], organization__name="“苏会党员”行动党支部").first()
    if member is None:
        return None
    if member.user_id is None:
        # Linking the demo login is set-up, not an edit by a person: no history row for it.
        member.user = _account(MEMBER_LOGIN[0], MEMBER_LOGIN[1], Role.MEMBER)
        Member.objects.filter(pk=member.pk).update(user=member.user)
    daoqian = find_area(DAOQIAN)
    if not CommunityReporting.objects.filter(member=member, community=daoqian, until=None).exists():
        CommunityReporting.objects.filter(member=member, until=None).update(until=timezone.localdate())
        CommunityReporting.objects.create(member=member, community=daoqian, since=dt.date(2021, 3, 1))
    return member


# The 积分标准 a closed order earns its taker (services.demands.ORDER_RULE_CODE), citywide in the demo.
ORDER_RULE = {
    "name": "居民点单接单办结", "category": RuleCategory.VOLUNTEERING, "unit": "件", "points_per_unit": 10,
    "monthly_cap": 100, "evidence_required": False,
}  # fmt: skip
MEMBER_PHONE = "13912340042"  # the demo member's volunteer record, which the order's points go to


def _order_rule():
    start = dt.date(timezone.localdate().year - 1, 1, 1)
    city = Area.objects.get(level=AreaLevel.CITY, parent=None)
    return PointRule.objects.get_or_create(
        code=ops.ORDER_RULE_CODE, version=1, defaults={**ORDER_RULE, "area": city, "effective_from": start}
    )[0]


def _volunteer_of(member):
    """The member's volunteer record (points are a volunteer's): theirs if the members' demo made one."""
    if getattr(member, "volunteer", None) is None:
        Volunteer.objects.create(
            name=member.name, phone=MEMBER_PHONE, community=find_area(DAOQIAN), member=member
        )


def _named(categories, stdout):
    li, chen = (_resident(*r) for r in RESIDENTS)
    member = _member()
    staff = {
        a.pk: User.objects.filter(role=Role.COMMUNITY_STAFF, area=a).first()
        for a in (li.community, chen.community)
    }
    if member is None or None in staff.values():
        stdout.write("居民诉求：没有演示工作人员或“苏会党员”党员，跳过。")
        return
    _order_rule()
    _volunteer_of(member)
    now = timezone.now()

    def day(n, hour=10):
        return now - dt.timedelta(days=n) + dt.timedelta(hours=hour - 10)

    def raised(resident, category, title, description, days_ago):
        return ops.raise_demand(
            by=resident.user, resident=resident, community=resident.community, grid=resident.grid,
            category=categories[category], title=title, description=description, now=day(days_ago),
        )  # fmt: skip

    def run(demand, steps):
        """Apply (days ago, step) in order; a step is a name of services.demands and its arguments."""
        by_staff = staff[demand.community_id]
        for days_ago, step, kwargs in steps:
            when = day(days_ago, 11)
            if step == "accept":
                ops.accept(demand=demand, by=by_staff, now=when)
            elif step == "dispatch":
                ops.dispatch(demand=demand, by=by_staff, member=member, now=when)
            elif step == "take":
                ops.take(demand=demand, by=member.user, now=when)
            elif step == "resolve":
                ops.resolve(demand=demand, by=member.user, now=when, **kwargs)
            elif step == "evaluate":
                ops.evaluate(demand=demand, by=demand.resident.user, now=when, **kwargs)
            else:
                getattr(ops, step)(demand=demand, by=by_staff, now=when, **kwargs)
            demand.refresh_from_db()

    bike = "启发广场小区电动车乱停乱放"
    sent = [(2, "accept", {}), (2, "dispatch", {})]
    taken = [(3, "accept", {}), (3, "dispatch", {}), (2, "take", {})]
    done = [
        (4, "accept", {}),
        (4, "dispatch", {}),
        (4, "take", {}),
        (1, "resolve", {"note": "已更换 LED 灯泡。"}),
    ]
    closed = [
        (11, "accept", {}), (11, "dispatch", {}), (10, "take", {}),
        (9, "resolve", {"note": "更换了温控器。"}),
        (8, "evaluate", {"rating": Rating.SATISFIED, "comment": "师傅很专业，谢谢苏会党员！"}),
    ]  # fmt: skip
    reopened = [
        (19, "accept", {}), (19, "dispatch", {}), (18, "take", {}),
        (17, "resolve", {"note": "已清洗点火针。"}),
        (16, "evaluate", {"rating": Rating.DISSATISFIED, "comment": "第二天又打不着火了"}), (15, "take", {}),
    ]  # fmt: skip
    street = find_area(DAOQIAN).parent
    cases = [
        (chen, "环境秩序", bike, "12 幢楼道口和消防通道停满电动车，晚上有人拉线充电。", 1, []),
        (chen, "环境秩序", f"{bike}（南门）", "南门人行道上电动车越停越多。", 2, [(1, "accept", {})]),
        (li, "设施维修", "楼道灯泡更换", "3 号楼二楼楼道灯坏了一个星期，晚上上楼看不清。", 3, sent),
        (li, "家电维修", "家电维修：洗衣机不脱水", "独居老人家的洗衣机不脱水。", 4, taken),
        (li, "设施维修", "灯泡更换：厨房吸顶灯", "厨房吸顶灯不亮，自己够不着。", 5, done),
        (li, "家电维修", "家电维修：冰箱不制冷", "冰箱冷藏室不制冷。", 12, closed),
        (li, "家电维修", "家电维修：热水器打不着火", "燃气热水器打不着火。", 20, reopened),
        (chen, "其他", "小区广场跳舞音响太吵", "晚上九点后还在放音乐。", 6,
         [(5, "reject", {"reason": "已提交小区居民议事会协商，请参加周五的议事会。"})]),
        (chen, "环境秩序", f"{bike}（重复）", "同 12 幢楼道口。", 1, []),
        (li, "邻里纠纷", "楼上漏水到我家", "楼上卫生间漏水，沟通未果。", 7,
         [(6, "transfer", {"to": street, "reason": "涉及房屋维修基金，需街道协调。"})]),
        (chen, "环境秩序", "小区加装电动车充电棚", "多户居民希望加装集中充电棚。", 9,
         [(8, "promote", {"reason": "多户反映，列入社区需求清单统筹解决。"})]),
        (li, "为老服务", "灯泡更换：老人家门口感应灯", "门口感应灯坏了。", 15,
         [(14, "accept", {}), (14, "dispatch", {})]),
    ]  # fmt: skip
    made = []
    for resident, category, title, description, days_ago, steps in cases:
        demand = raised(resident, category, title, description, days_ago)
        run(demand, steps)
        made.append(demand)
    first_bike = made[0]
    ops.mark_duplicate(demand=made[8], by=staff[chen.community_id], of=first_bike, now=day(0, 9))
    # The last one is long past its deadline: the job marks it 超期 and escalates it to the street.
    from .supervision import add_note, check_deadlines

    check_deadlines()
    made[-1].refresh_from_db()
    street_li = User.objects.filter(role=Role.STREET_STAFF, area=li.community.parent).first()
    if street_li is not None and made[-1].escalated_at:
        add_note(demand=made[-1], by=street_li, note="请本周内上门更换并答复。")
    stdout.write(
        f"居民诉求：{len(made)} 件演示诉求（启发广场小区电动车乱停乱放、苏会党员灯泡更换和家电维修，"
        "各个状态都有）；居民账号 jumin（道前社区）、jumin2（邹家角社区启发广场），接单党员 suhui（周建华）。"
    )


# A simulated fate for a city demand: (weight, path of states after submitted)
FATES = [
    (58, [S.ACCEPTED, S.DISPATCHED, S.TAKEN, S.RESOLVED, S.CLOSED]),
    (8, [S.ACCEPTED, S.DISPATCHED, S.TAKEN, S.RESOLVED]),
    (4, [S.ACCEPTED, S.DISPATCHED, S.TAKEN, S.RESOLVED, S.DISPATCHED, S.TAKEN, S.RESOLVED, S.CLOSED]),
    (5, [S.ACCEPTED, S.DISPATCHED, S.TAKEN]),
    (4, [S.ACCEPTED, S.DISPATCHED]),
    (3, [S.ACCEPTED]),
    (6, [S.ACCEPTED, S.RESOLVED, S.CLOSED]),
    (3, [S.REJECTED]),
    (3, [S.DUPLICATE]),
    (2, [S.ACCEPTED, S.TRANSFERRED]),
    (2, [S.PROMOTED]),
    (2, []),
]


def build_city(*, total, stdout, seed=17, chunk=5000):
    """`total` demands received over the last year in the city's communities, bulk inserted."""
    rng = random.Random(seed)
    communities = list(
        Area.objects.filter(level=AreaLevel.COMMUNITY).values_list("pk", "latitude", "longitude")
    )
    grids = {}
    for pk, parent in Area.objects.filter(level=AreaLevel.GRID).values_list("pk", "parent_id"):
        grids.setdefault(parent, []).append(pk)
    categories = list(DemandCategory.objects.values_list("pk", "deadline_days"))
    intake = _account("hotline", "12345 热线", Role.RESIDENT)
    if not communities or not categories or Demand.objects.filter(raised_by=intake).exists():
        return
    weights, paths = zip(*FATES, strict=True)
    now = timezone.now()
    left = total
    while left > 0:
        n = min(chunk, left)
        left -= n
        histories = [
            _history(rng, now, communities, grids, categories, weights, paths, intake) for _ in range(n)
        ]
        with transaction.atomic():
            demands = Demand.objects.bulk_create([h[0] for h in histories], batch_size=1000)
            transitions, evaluations = [], []
            for demand, (_, steps, rating) in zip(demands, histories, strict=True):
                previous = ""
                for at, to, deadline in steps:
                    first = not previous
                    transitions.append(
                        DemandTransition(
                            demand=demand, at=at, by=intake if first else None, from_status=previous,
                            to_status=to, deadline=deadline, note="市民热线转来" if first else "",
                        )
                    )  # fmt: skip
                    previous = to
                if rating:
                    evaluations.append(Evaluation(demand=demand, round=demand.reopen_count, rating=rating,
                                                  by=intake, at=demand.closed_at))  # fmt: skip
            DemandTransition.objects.bulk_create(transitions, batch_size=5000)
            Evaluation.objects.bulk_create(evaluations, batch_size=5000)
        stdout.write(f"  居民诉求：{total - left:,} / {total:,}")


def _history(rng, now, communities, grids, categories, weights, paths, intake):
    """One demand as it stands now, and its (at, to, deadline) steps, and the rating that closed it."""
    community, lat, lng = rng.choice(communities)
    category, days = rng.choice(categories)
    submitted = now - dt.timedelta(seconds=rng.randint(3600, 365 * 86400))
    path = rng.choices(paths, weights)[0]
    demand = Demand(
        raised_by=intake, contact_name="市民", community_id=community, category_id=category,
        grid_id=rng.choice(grids[community]) if grids.get(community) else None, title="市民诉求",
        description="（批量生成）", latitude=lat or 31.3, longitude=lng or 120.6, submitted_at=submitted,
    )  # fmt: skip
    steps, at, status, deadline = [(submitted, S.SUBMITTED, None)], submitted, S.SUBMITTED, None
    for to in path:
        # Realistic pace: most steps within hours, resolution within the time limit give or take.
        gap = (
            dt.timedelta(hours=rng.uniform(1, 30))
            if to != S.RESOLVED
            else dt.timedelta(days=rng.uniform(0.3, days * 1.8))
        )
        if at + gap > now:
            break
        at += gap
        step_deadline = None
        if to == S.ACCEPTED:
            demand.accepted_at, demand.deadline_days = at, days
            deadline = step_deadline = deadline_after(at, days)
        elif to == S.RESOLVED:
            demand.resolved_at, demand.resolution_note = at, "已办结"
            demand.working_days_taken = working_days_between(demand.accepted_at, at)
        elif to == S.DISPATCHED and status == S.RESOLVED:
            demand.reopen_count += 1
            deadline = step_deadline = deadline_after(at, days)
            demand.resolved_at = None
        elif to in (S.CLOSED, S.REJECTED, S.DUPLICATE, S.TRANSFERRED, S.PROMOTED):
            demand.closed_at = at
        steps.append((at, to, step_deadline))
        status = to
    demand.status, demand.deadline = status, deadline
    if status in (S.ACCEPTED, S.DISPATCHED, S.TAKEN) and deadline and deadline < now:
        demand.overdue_at = deadline + dt.timedelta(minutes=15)
    rating = None
    if status == S.CLOSED and demand.resolved_at:
        rating = rng.choices([Rating.SATISFIED, Rating.FAIRLY_SATISFIED, Rating.DISSATISFIED], [80, 17, 3])[0]
        rating = (
            Rating.SATISFIED if rating == Rating.DISSATISFIED else rating
        )  # 不满意 would have reopened it
    return demand, steps, rating
