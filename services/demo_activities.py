"""Demo activities at the articles' sites: some ahead with places left, one full with a waitlist, one past
with check-ins and its attendance confirmed, so the demo volunteer holds its points. Run from
`services.demo.seed`; needs the demo sites and accounts, else does nothing. `scale="city"` adds
CITY_ACTIVITIES more over every site, bulk-inserted.

The ones ahead go through the one write path (activities.py); the past one cannot be published (nobody
publishes or checks in to the past), so it and its check-ins are written as they would stand after the
day, and its attendance is then confirmed through `confirm_attendance`, which posts the points.
"""

import datetime as dt
import random

from django.utils import timezone

from members.models import PointRule, Role, User
from sites.models import Site

from . import activities as operations
from .models import Activity, ActivityKind, Signup, SignupStatus

# (site, title, kind, days from today, hour, hours, capacity)
PLAN = [
    ("邹家角社区党群服务站", "主题党日：走进红色阵地", ActivityKind.PARTY_DAY, 3, 9, 2, 30),
    ("道前社区党群服务站", "“苏会党员”便民服务", ActivityKind.VOLUNTEER, 5, 9, 3, 2),
    ("双塔街道党群服务中心", "博士阳光讲坛：智慧养老", ActivityKind.LECTURE, 8, 14, 2, 60),
    ("道前社区党群服务站", "居民议事会：加装电梯", ActivityKind.COUNCIL, -7, 19, 1, 20),
]
# The demo volunteer earns these points for the past activity (members.demo_points's rule, 5 points an hour).
VOLUNTEER_RULE = "zhiyuan-fuwu"

# A year of activities at ~5,100 sites: about ten per site, from four months back to two ahead.
CITY_ACTIVITIES = 50_000
CITY_DAYS_BACK, CITY_DAYS_AHEAD = 120, 60
CITY_DESCRIPTION = "全市演示活动（批量生成）。"
CITY_TITLES = {
    ActivityKind.THREE_MEETINGS: ["支部党员大会", "党小组会", "党课：学习党的二十大精神"],
    ActivityKind.PARTY_DAY: ["主题党日：重温入党誓词", "主题党日：红色故事分享"],
    ActivityKind.VOLUNTEER: ["“海棠花红”志愿服务", "社区环境整治", "敬老助残志愿服务"],
    ActivityKind.CULTURE: ["社区合唱团演出", "书法兴趣班", "邻里文化节"],
    ActivityKind.LECTURE: ["博士阳光讲坛", "垃圾分类宣讲", "消防安全讲座"],
    ActivityKind.COUNCIL: ["居民议事会", "楼道长议事会"],
}


def _staff_for(site, staff):
    return next((u for u in staff if u.can_manage(site.area)), None)


def seed(*, scale, stdout):
    seed_named(stdout=stdout)
    if scale == "city" and not Activity.objects.filter(description=CITY_DESCRIPTION).exists():
        made = build_city()
        stdout.write(f"活动报名：全市 {made} 场活动（批量写入）。")


def seed_named(*, stdout):
    sites = {s.name: s for s in Site.objects.filter(name__in=[p[0] for p in PLAN]).select_related("area")}
    staff = list(User.objects.filter(is_staff=True, area__isnull=False).select_related("area"))
    people = list(User.objects.filter(role=Role.ORGANIZER).order_by("username")[:3])
    if not sites or not people:
        stdout.write("活动报名：没有演示阵地或账号，跳过。")
        return
    if Activity.objects.filter(title__in=[p[1] for p in PLAN]).exists():
        return
    volunteer = User.objects.filter(username="volunteer").first()
    today, made = timezone.localdate(), 0
    for site_name, title, kind, days, hour, hours, capacity in PLAN:
        site = sites.get(site_name)
        by = site and _staff_for(site, staff)
        if by is None:
            continue
        start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)))
        end = start + dt.timedelta(hours=hours)
        if days < 0:
            _past(site, by, title, kind, start, end, capacity, people + ([volunteer] if volunteer else []))
        else:
            activity = operations.publish_activity(
                by=by, site=site, title=title, kind=kind, start=start, end=end, capacity=capacity,
                description=f"{site_name}组织，欢迎报名参加。",
            )  # fmt: skip
            for person in people:  # the one with two places ends with one person waiting
                operations.sign_up(activity=activity, user=person)
        made += 1
    stdout.write(f"活动报名：{made} 场演示活动（其中一场满员有候补，一场已结束、已确认出勤并发放积分）。")


def _past(site, by, title, kind, start, end, capacity, people):
    rule = PointRule.objects.filter(code=VOLUNTEER_RULE).order_by("-version").first()
    past = Activity.objects.create(
        site=site, organizer=by, title=title, kind=kind, start=start, end=end, capacity=capacity,
        places_taken=len(people), description="社区居民和党员共商加装电梯事宜。", point_rule=rule,
    )  # fmt: skip
    # Everyone but the first came (the demo volunteer, last, did).
    signed, arrived = start - dt.timedelta(days=3), start - dt.timedelta(minutes=10)
    Signup.objects.bulk_create(
        Signup(activity=past, user=u, status=SignupStatus.SIGNED_UP, created_at=signed,
               checked_in_at=arrived if n else None)
        for n, u in enumerate(people)
    )  # fmt: skip
    operations.confirm_attendance(activity=past, by=by)


def build_city(*, total=CITY_ACTIVITIES, seed=15):
    """`total` outdoor activities spread over every active site (no rooms: the bookings' load is
    bench_booking's), published, without sign-ups, so the places taken stay 0 and `reconcile` agrees."""
    sites = list(Site.objects.active().order_by("pk").values_list("pk", flat=True))
    organizer = (
        User.objects.filter(is_superuser=True).order_by("pk").first() or User.objects.order_by("pk").first()
    )
    if not sites or organizer is None:
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    kinds = list(CITY_TITLES)
    rows = []
    for n in range(total):
        kind = kinds[n % len(kinds)]
        day = today + dt.timedelta(days=rng.randint(-CITY_DAYS_BACK, CITY_DAYS_AHEAD))
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 19))))
        rows.append(
            Activity(
                site_id=sites[n % len(sites)],
                organizer=organizer,
                title=rng.choice(CITY_TITLES[kind]),
                description=CITY_DESCRIPTION,
                kind=kind,
                start=start,
                end=start + dt.timedelta(hours=rng.choice([1, 2, 3])),
                capacity=rng.choice([20, 30, 50, 100]),
            )  # fmt: skip
        )
    Activity.objects.bulk_create(rows, batch_size=5000)
    return total
