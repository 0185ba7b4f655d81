"""Demo activities at the articles' sites: some ahead with places left, one full with a waitlist, one past
with check-ins. Run from `services.demo.seed`; needs the demo sites and accounts, else does nothing.

The ones ahead go through the one write path (activities.py); the past one cannot (nobody publishes or
checks in to the past), so it is written directly, as it would stand after the day.
"""

import datetime as dt

from django.utils import timezone

from members.models import Role, User
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


def _staff_for(site, staff):
    return next((u for u in staff if u.can_manage(site.area)), None)


def seed(*, scale, stdout):
    sites = {s.name: s for s in Site.objects.filter(name__in=[p[0] for p in PLAN]).select_related("area")}
    staff = list(User.objects.filter(is_staff=True, area__isnull=False).select_related("area"))
    people = list(User.objects.filter(role=Role.ORGANIZER).order_by("username")[:3])
    if not sites or not people:
        stdout.write("活动报名：没有演示阵地或账号，跳过。")
        return
    if Activity.objects.filter(title__in=[p[1] for p in PLAN]).exists():
        return
    today, made = timezone.localdate(), 0
    for site_name, title, kind, days, hour, hours, capacity in PLAN:
        site = sites.get(site_name)
        by = site and _staff_for(site, staff)
        if by is None:
            continue
        start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)))
        end = start + dt.timedelta(hours=hours)
        if days < 0:
            past = Activity.objects.create(
                site=site, organizer=by, title=title, kind=kind, start=start, end=end, capacity=capacity,
                places_taken=len(people), description="社区居民和党员共商加装电梯事宜。",
            )  # fmt: skip
            # Everyone but the first came.
            signed, arrived = start - dt.timedelta(days=3), start - dt.timedelta(minutes=10)
            Signup.objects.bulk_create(
                Signup(activity=past, user=u, status=SignupStatus.SIGNED_UP, created_at=signed,
                       checked_in_at=arrived if n else None)
                for n, u in enumerate(people)
            )  # fmt: skip
        else:
            activity = operations.publish_activity(
                by=by, site=site, title=title, kind=kind, start=start, end=end, capacity=capacity,
                description=f"{site_name}组织，欢迎报名参加。",
            )  # fmt: skip
            for person in people:  # the one with two places ends with one person waiting
                operations.sign_up(activity=activity, user=person)
        made += 1
    stdout.write(f"活动报名：{made} 场演示活动（其中一场满员有候补，一场已结束并有签到）。")
