"""Demo room bookings: a fortnight before and after today on the rooms of the articles' sites.

Needs the demo rooms and accounts of `sites.demo` and `members.demo`; without them it does nothing.
At city scale it adds the same few bookings: the 1,000,000-booking load is the benchmark's job
(tests/bench/bench_booking.py), not the seed's.
"""

import datetime as dt

from django.utils import timezone

from members.models import Role, User
from sites.models import Site, Venue

from . import demo_activities, demo_demands, demo_indicators, demo_lists
from .availability import fits_opening
from .checkin import RELEASE_AFTER
from .models import Booking, BookingStatus, ClosedDate, Purpose, VenueRules
from .no_shows import review_reason

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
    demo_lists.seed(scale=scale, stdout=stdout)
    demo_indicators.seed(scale=scale, stdout=stdout)  # after the lists: it reads their claims
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
    _check_ins_and_no_shows(organizer, [r for r in rooms if r != approval_room], stdout)


def _check_ins_and_no_shows(organizer, rooms, stdout):
    """Past bookings checked in at the room, two no-shows of `organizer`, and organizer3 (创元集团党委)
    with three no-shows this month, whose next booking waits in the review queue with the reason."""
    now = timezone.now()
    past = list(Booking.objects.filter(organizer=organizer, status=BookingStatus.CONFIRMED, end__lt=now))
    for k, booking in enumerate(past):
        if k in (1, 4):
            booking.status, booking.released_at = BookingStatus.NO_SHOW, booking.start + RELEASE_AFTER
        else:
            booking.checked_in_at, booking.checked_in_by = booking.start - dt.timedelta(minutes=5), organizer
    Booking.objects.bulk_update(past, ["status", "released_at", "checked_in_at", "checked_in_by"])
    repeat = User.objects.filter(username="organizer3").first()
    if repeat is None or not rooms:
        return
    # A room of 双塔街道党群服务中心, so `shuangta` (README 第一次使用) finds the request in 预约审核.
    room = next((r for r in rooms if r.site.name == DEMO_SITES[0]), rooms[0])
    today = timezone.localdate()
    missed = []
    for days in (6, 13, 20):
        start = _free_hour(room, today - dt.timedelta(days=days))
        missed.append(
            Booking(
                venue=room, organizer=repeat, title="党员学习沙龙", purpose=Purpose.THREE_MEETINGS,
                organization=repeat.organization, attendees=10, contact_phone=repeat.phone or "13812345607",
                start=start, end=start + dt.timedelta(hours=1), status=BookingStatus.NO_SHOW,
                released_at=start + RELEASE_AFTER,
            )
        )  # fmt: skip
    Booking.objects.bulk_create(missed)
    start = _free_hour(room, today + dt.timedelta(days=3))
    Booking.objects.create(
        venue=room, organizer=repeat, title="党员学习沙龙", purpose=Purpose.THREE_MEETINGS,
        organization=repeat.organization, attendees=10, contact_phone=repeat.phone or "13812345607",
        start=start, end=start + dt.timedelta(hours=1), status=BookingStatus.PENDING,
        review_reason=review_reason(repeat),
    )  # fmt: skip
    stdout.write("场馆预约签到：已签到与未到场的演示预约；organizer3 近 90 天 3 次未到场，新预约待审核。")


def _free_hour(room, date):
    """An hour of `date` the room is open that the PLAN above leaves free (12:00, else 17:00)."""
    for hour in (12, 17, 8):
        start = timezone.make_aware(dt.datetime.combine(date, dt.time(hour, 0)))
        if fits_opening(VenueRules.for_venue(room), start, start + dt.timedelta(hours=1)):
            return start
    return start
