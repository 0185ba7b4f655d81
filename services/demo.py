"""Demo room bookings: a fortnight before and after today on the rooms of the articles' sites.

Needs the demo rooms and accounts of `sites.demo` and `members.demo`; without them it does nothing.
At city scale it adds the same few bookings: the 1,000,000-booking load is the benchmark's job
(tests/bench/bench_booking.py), not the seed's.
"""

import datetime as dt

from django.utils import timezone

from members.models import Role, User
from sites.models import Site, Venue

from . import demo_activities, demo_demands
from .availability import fits_opening
from .models import Booking, BookingStatus, ClosedDate, Purpose, VenueRules

DEMO_SITES = ["双塔街道党群服务中心", "创元集团标志党群服务中心"]
# (hour, minute, minutes, title, purpose, attendees), repeated over the days
PLAN = [
    (9, 0, 90, "支部委员会会议", Purpose.THREE_MEETINGS, 8),
    (14, 0, 120, "主题党日：重温入党誓词", Purpose.PARTY_DAY, 25),
    (10, 0, 60, "老年智能手机培训", Purpose.TRAINING, 15),
    (15, 0, 90, "“海棠花红”志愿服务队例会", Purpose.VOLUNTEER, 12),
]


def seed(*, scale, stdout):
    demo_activities.seed(scale=scale, stdout=stdout)
    demo_demands.seed(scale=scale, stdout=stdout)
    organizer = User.objects.filter(username="organizer", role=Role.ORGANIZER).first()
    rooms = list(
        Venue.objects.filter(site__name__in=DEMO_SITES, is_bookable=True)
        .select_related("site", "booking_rules")
        .order_by("site__name", "name")
    )
    if organizer is None or not rooms:
        stdout.write("场馆预约：没有演示活动室或组织者账号，跳过。")
        return
    if Booking.objects.filter(organizer=organizer).exists():
        return
    approval_room = next((r for r in rooms if r.name == "议事厅"), rooms[-1])
    VenueRules.objects.update_or_create(venue=approval_room, defaults={"needs_approval": True})
    today = timezone.localdate()
    ClosedDate.objects.get_or_create(
        venue=rooms[0],
        date=today + dt.timedelta(days=(5 - today.weekday()) % 7 + 7),
        defaults={"reason": "设备检修"},
    )
    bookings = []
    for offset in range(-14, 15):
        date = today + dt.timedelta(days=offset)
        for k, (hour, minute, minutes, title, purpose, attendees) in enumerate(PLAN):
            room = rooms[(offset + k) % len(rooms)]
            start = timezone.make_aware(dt.datetime.combine(date, dt.time(hour, minute)))
            end = start + dt.timedelta(minutes=minutes)
            if (offset + k) % 3 or not fits_opening(VenueRules.for_venue(room), start, end):
                continue
            pending = room == approval_room and offset > 0
            bookings.append(
                Booking(
                    venue=room, organizer=organizer, title=title, purpose=purpose,
                    organization=organizer.organization, attendees=min(attendees, room.capacity),
                    contact_phone=organizer.phone or "13812345605", start=start, end=end,
                    status=BookingStatus.PENDING if pending else BookingStatus.CONFIRMED,
                )
            )  # fmt: skip
    Booking.objects.bulk_create(bookings)
    stdout.write(
        f"场馆预约：{len(bookings)} 条演示预约，{Site.objects.filter(name__in=DEMO_SITES).count()} 个阵地。"
    )
