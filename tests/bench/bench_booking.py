"""场馆预约 on city-scale data: 1,000,000 bookings over ~15,000 rooms, measured through gunicorn.

Targets (issue 4, PostgreSQL, gunicorn, 2 cores): a room's week ≤ 20 ms median; free rooms within
1 km from T1 to T2 ≤ 50 ms median.

The bookings are built once (and reused on later runs) by `ensure_bookings()`: 60 days back to 60 days
ahead of the day they are built, inside each room's opening hours, at most one per slot of a room, so
no two bookings of one room overlap whatever their status and the exclusion constraint holds. Centres'
rooms are busier than stations', stations' than points'. PostgreSQL loads them with one COPY, SQLite
with batched bulk inserts.
"""

import datetime as dt
import itertools
import random
import time
from collections import Counter
from urllib.parse import urlencode

from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from members.models import Organization, Role, User
from services.availability import bookable_rooms, local_dt
from services.models import Booking, VenueRules
from sites.geo import nearest
from sites.models import Area, AreaLevel

from .common import gunicorn, latency, queries_for, session_cookie

TOTAL = 1_000_000
DAYS_BACK, DAYS_AHEAD = 60, 60
ORGANIZERS = 3000
# Relative demand for a room by its site's tier: a centre's rooms are booked six times as often as a point's.
TIER_WEIGHT = {"center": 6, "station": 2, "point": 1}
# Block lengths (minutes) that cut each opening span into bookable slots, in turn.
BLOCKS = [90, 120, 60]
# (status, weight) for bookings already over and for those ahead.
PAST_STATUSES = [("confirmed", 82), ("cancelled", 13), ("rejected", 5)]
FUTURE_STATUSES = [("confirmed", 68), ("pending", 17), ("cancelled", 10), ("rejected", 5)]
TITLES = {
    "three_meetings": ["支部委员会会议", "党小组会", "支部党员大会", "党课：学习党的二十大精神"],
    "party_day": ["主题党日：重温入党誓词", "主题党日：红色故事分享"],
    "volunteer": ["“海棠花红”志愿服务队例会", "志愿者培训"],
    "residents": ["居民议事会", "邻里茶话会", "社区合唱团排练", "书法兴趣班"],
    "training": ["老年智能手机培训", "垃圾分类宣讲", "消防安全培训"],
    "other": ["楼道长会议", "物业协调会"],
}
# The order of each row `_rows` yields.
COLUMNS = (
    "venue_id", "organizer_id", "title", "purpose", "organization_id", "group_name", "attendees",
    "contact_phone", "start", "end", "status", "reject_reason", "decided_at", "created_at",
)  # fmt: skip
GROUPS = ["社区合唱团", "夕阳红舞蹈队", "书画协会", "邻里互助会", "青年读书会"]


def _organizers():
    """Bench-only organiser accounts (no usable password), each in one organisation; made once."""
    existing = list(
        User.objects.filter(username__startswith="bench_organizer_").values_list("pk", "organization")
    )
    if existing:
        return existing
    organizations = list(Organization.objects.order_by("pk").values_list("pk", flat=True)[:ORGANIZERS])
    users = [
        User(username=f"bench_organizer_{i:04d}", role=Role.ORGANIZER, organization_id=org, password="!")
        for i, org in enumerate(organizations)
    ]
    User.objects.bulk_create(users, batch_size=1000)
    return list(
        User.objects.filter(username__startswith="bench_organizer_").values_list("pk", "organization")
    )


def _slots(hours, first_date, days):
    """Every (start, end) block of the opening hours over `days` days: the places a booking may go."""
    slots = []
    for offset in range(days):
        date = first_date + dt.timedelta(days=offset)
        for a, b in hours.spans_on(date):
            cursor = timezone.make_aware(dt.datetime.combine(date, a))
            close = timezone.make_aware(dt.datetime.combine(date, b))
            for minutes in itertools.cycle(BLOCKS):
                end = cursor + dt.timedelta(minutes=minutes)
                if end > close:
                    break
                slots.append((cursor, end))
                cursor = end
    return slots


def _shares(rooms, total):
    """How many bookings each room gets: `total` split by tier weight, never more than its slots."""
    if sum(len(slots) for *_, slots in rooms) < total:
        raise ValueError(f"{len(rooms)} rooms have too few opening hours for {total} bookings")
    weights = [TIER_WEIGHT.get(tier, 1) for _, tier, _, _ in rooms]
    unit = total / sum(weights)
    shares = [min(int(w * unit), len(slots)) for w, (_, _, _, slots) in zip(weights, rooms, strict=True)]
    missing = total - sum(shares)
    for k in itertools.cycle(range(len(rooms))):  # hand out the rounding remainder one by one
        if missing == 0:
            return shares
        if shares[k] < len(rooms[k][3]):
            shares[k] += 1
            missing -= 1
    return shares


def _rooms():
    """(pk, tier, capacity, slots) of each bookable room that has no booking yet (the demo's keep theirs)."""
    first = timezone.localdate() - dt.timedelta(days=DAYS_BACK)
    slots_by_hours = {}
    rooms = []
    for venue in bookable_rooms().exclude(pk__in=Booking.objects.values("venue")).order_by("pk"):
        hours = VenueRules.for_venue(venue).hours
        key = repr(sorted(hours.data.items()))
        if key not in slots_by_hours:  # a few opening-hour patterns serve 15,000 rooms
            slots_by_hours[key] = _slots(hours, first, DAYS_BACK + DAYS_AHEAD + 1)
        rooms.append((venue.pk, venue.site.tier, venue.capacity, slots_by_hours[key]))
    return rooms


def _rows(total, rooms, organizers):
    """Booking rows (in COLUMNS order): `total` of them over `rooms`, booked by `organizers`.

    Pure computation, no queries: PostgreSQL's COPY holds the connection while it consumes them.
    """
    rng = random.Random(2018)
    now = timezone.now()
    for (venue, _, capacity, slots), share in zip(rooms, _shares(rooms, total), strict=True):
        for start, end in rng.sample(slots, share):
            statuses = PAST_STATUSES if start < now else FUTURE_STATUSES
            status = rng.choices([s for s, _ in statuses], [w for _, w in statuses])[0]
            purpose = rng.choice(list(TITLES))
            organizer, organization = rng.choice(organizers)
            group = rng.random() < 0.2
            created = min(start - dt.timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600)), now)
            yield (
                venue,
                organizer,
                rng.choice(TITLES[purpose]),
                purpose,
                None if group else organization,
                rng.choice(GROUPS) if group else "",
                rng.randint(1, capacity),
                f"13{rng.randint(100000000, 999999999)}",
                start,
                end,
                status,
                "该时段场地另有安排" if status == "rejected" else "",
                created + dt.timedelta(hours=5) if status == "rejected" else None,
                created,
            )


def _copy(rows):
    """PostgreSQL: one COPY of every row, in one transaction (the exclusion constraint checks each)."""
    columns = ", ".join(f'"{c}"' for c in COLUMNS)
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY services_booking ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _bulk_insert(rows, batch=5000):
    """SQLite: bulk inserts of `batch` rows, all in one transaction."""
    with transaction.atomic():
        chunk = []
        for row in rows:
            chunk.append(Booking(**dict(zip(COLUMNS, row, strict=True))))
            if len(chunk) == batch:
                Booking.objects.bulk_create(chunk)
                chunk = []
        Booking.objects.bulk_create(chunk)


def ensure_bookings():
    """Bring the booking table up to TOTAL rows once; later runs find them and reuse them."""
    missing = TOTAL - Booking.objects.count()
    if missing <= 0:
        return
    started = time.perf_counter()
    rows = _rows(missing, _rooms(), _organizers())
    if connection.vendor == "postgresql":
        _copy(rows)
        with connection.cursor() as cursor:
            # Planner statistics for the fresh million rows (see bench_projects for why this matters).
            cursor.execute("ANALYZE")
    else:
        _bulk_insert(rows)
    print(f"{missing} bookings built in {time.perf_counter() - started:.0f} s")


def _next_weekday(date):
    date += dt.timedelta(days=1)
    while date.weekday() >= 5:
        date += dt.timedelta(days=1)
    return date


def _densest_point():
    """The centre of the 0.01° cell (≈1 km) whose 3×3 neighbourhood holds the most bookable rooms."""
    cells = Counter(
        (round(float(lat), 2), round(float(lng), 2))
        for lat, lng in bookable_rooms().values_list("site__latitude", "site__longitude")
    )

    def around(cell):
        return sum(
            cells[round(cell[0] + i / 100, 2), round(cell[1] + j / 100, 2)]
            for i in (-1, 0, 1)
            for j in (-1, 0, 1)
        )

    return max(cells, key=lambda cell: (around(cell), cell))


def run(bench):
    ensure_bookings()
    total = Booking.objects.count()
    today = timezone.localdate()
    # Next week and the next working day: every slot still ahead, so the pages show (and cost) the most.
    monday = today + dt.timedelta(days=7 - today.weekday())
    day = _next_weekday(today)
    week = (local_dt(monday, dt.time()), local_dt(monday + dt.timedelta(days=7), dt.time()))
    busiest = (
        Booking.objects.live()
        .filter(start__gte=week[0], start__lt=week[1])
        .values("venue")
        .annotate(n=Count("pk"))
        .order_by("-n", "venue")
        .first()
    )
    room, site = busiest["venue"], bookable_rooms().get(pk=busiest["venue"]).site_id
    # Free rooms: the next working day, 14:00–16:00, for 10 people, within 1 km of the city's densest
    # spot and of 姑苏区's centre.
    start, end = local_dt(day, dt.time(14)), local_dt(day, dt.time(16))
    gusu = Area.objects.get(level=AreaLevel.DISTRICT, name="姑苏区")
    points = {"densest spot": _densest_point(), "姑苏区 centre": (gusu.latitude, gusu.longitude)}
    free = []
    for name, (lat, lng) in points.items():
        in_range = nearest(
            bookable_rooms(), lat, lng, lat_field="site__latitude", lng_field="site__longitude"
        )
        point = {"lat": f"{lat:.6f}", "lng": f"{lng:.6f}", "radius": 1000, "attendees": 10}
        page = {"date": day.isoformat(), "start_time": "14:00", "end_time": "16:00", **point}
        api = {"start": start.isoformat(), "end": end.isoformat(), **point}
        what = f"free rooms within 1 km, {name} ({len(in_range)} rooms in range)"
        free += [
            (f"booking: {what}, page", f"{reverse('services:free-rooms')}?{urlencode(page)}", None),
            (f"booking: {what}, API", f"{reverse('services:api-free-rooms')}?{urlencode(api)}", None),
        ]
    staff = User.objects.get(username="gusu_admin")
    organizer = User.objects.filter(username__startswith="bench_organizer_").order_by("username").first()
    cases = [
        (
            f"booking: a room's week page (busiest room next week, {busiest['n']} live bookings)",
            f"{reverse('services:room-detail', args=[room])}?{urlencode({'date': monday, 'view': 'week'})}",
            None,
        ),
        (
            "booking: a room's day page",
            f"{reverse('services:room-detail', args=[room])}?{urlencode({'date': day, 'view': 'day'})}",
            None,
        ),
        (
            "booking: availability API, that room × 7 days",
            f"{reverse('services:api-availability')}?{urlencode({'venue': room, 'date': monday, 'days': 7})}",
            None,
        ),
        (
            "booking: availability API, all rooms of its site × 7 days",
            f"{reverse('services:api-availability')}?{urlencode({'site': site, 'date': monday, 'days': 7})}",
            None,
        ),
        *free,
        (
            "booking: review queue (姑苏区 district staff)",
            reverse("services:review-queue"),
            staff,
        ),
        (
            "booking: the admin's booking list (姑苏区 district staff)",
            reverse("admin:services_booking_changelist"),
            staff,
        ),
        (
            f"booking: my bookings ({organizer.bookings.count()} bookings of one organiser)",
            reverse("services:my-bookings"),
            organizer,
        ),
    ]
    with gunicorn() as base:
        for what, path, user in cases:
            figures = latency(base + path, headers=session_cookie(user) if user else None)
            bench.row(
                what,
                median_ms=figures["median_ms"],
                p95_ms=figures["p95_ms"],
                queries=queries_for(path, user=user),
                note=f"HTTP {figures['status']}, {total} bookings",
            )
