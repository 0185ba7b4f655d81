"""When a room is free: its opening spans minus live bookings minus closed dates.

Every function here costs a fixed number of queries however many days or rooms it covers: the rooms
come with their site and rules (`bookable_rooms()`), then one query for the bookings and one for the
closed dates of the whole range.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from sites.geo import WALK_15_MIN_M, nearest
from sites.models import Venue

from .models import Booking, ClosedDate, VenueRules

SLOT = dt.timedelta(hours=1)
STEP = dt.timedelta(minutes=15)  # the forms' time inputs step by a quarter hour


def round_up(moment, step=STEP):
    """`moment` moved up to the next whole `step` (unchanged when already on one)."""
    local = timezone.localtime(moment)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    steps = -(-(local - midnight) // step)  # ceiling division of timedeltas
    return midnight + steps * step


def default_span(now=None, *, length=SLOT, latest=dt.time(21)):
    """What an empty search form proposes: the next full hour for `length`, or 09:00 tomorrow when
    that would end after `latest` (no site is open then)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = round_up(now, SLOT)
    end = start + length
    if end.date() != today or end.time() > latest:
        start = local_dt(today + dt.timedelta(days=1), dt.time(9))
    return start, start + length


def bookable_rooms():
    """Rooms that take bookings, with what the availability needs in the same query."""
    return Venue.objects.bookable().select_related("site__area", "booking_rules")


def local_dt(date, time):
    return timezone.make_aware(dt.datetime.combine(date, time))


def day_part(date):
    """The part of the bookings table that is one local day's, as the public page cache names it
    (sites/page_cache.py: pages showing one day's bookings are rebuilt only for writes to that day)."""
    return f"day:{date.isoformat()}"


def todays_bookings(request, *args, **kwargs):
    """The parts of the bookings table a page showing today's free slots reads (sites/page_cache.py)."""
    return [day_part(timezone.localdate())]


def days_of(*spans):
    """The `day_part`s that bookings of these (start, end) spans touch: every local day each covers."""
    parts = set()
    for start, end in spans:
        day, last = timezone.localtime(start).date(), timezone.localtime(end).date()
        while day <= last:
            parts.add(day_part(day))
            day += dt.timedelta(days=1)
    return sorted(parts)


@dataclass
class DayPlan:
    date: dt.date
    opening: list = field(default_factory=list)  # [(start, end)] aware datetimes
    busy: list = field(default_factory=list)  # live bookings, by start
    closed_reason: str = ""

    @property
    def free(self):
        return subtract(self.opening, [b.span for b in self.busy])

    def slots(self, *, now=None):
        """The day cut into hour slots for the page: (start, end, booking or None). A free slot that has
        begun is left out (booking it would be refused as past); a booking still running is shown."""
        now = now or timezone.now()
        cuts = [(s, e, None) for s, e in self.free for s, e in hour_slots(s, e) if s >= now]
        cuts += [(b.start, b.end, b) for b in self.busy if b.end > now]
        return sorted(cuts, key=lambda c: c[0])


def subtract(spans, busy):
    """Parts of `spans` that no span in `busy` covers (both lists of (start, end), busy sorted)."""
    free = []
    for start, end in spans:
        cursor = start
        for b_start, b_end in sorted(busy):
            if b_end <= cursor or b_start >= end:
                continue
            if b_start > cursor:
                free.append((cursor, b_start))
            cursor = max(cursor, b_end)
        if cursor < end:
            free.append((cursor, end))
    return free


def hour_slots(start, end):
    """[start, end) cut at whole hours: 09:30–11:00 gives 09:30–10:00 and 10:00–11:00."""
    cuts = []
    cursor = start
    while cursor < end:
        next_hour = (cursor + SLOT).replace(minute=0, second=0, microsecond=0)
        cuts.append((cursor, min(next_hour, end)))
        cursor = min(next_hour, end)
    return cuts


def opening_spans(rules, date):
    return [(local_dt(date, a), local_dt(date, b)) for a, b in rules.hours.spans_on(date)]


def plans(rooms, first_date, days=7):
    """{room pk: [DayPlan per day from `first_date`]}: two queries whatever the rooms and days."""
    last_date = first_date + dt.timedelta(days=days)
    ids = [v.pk for v in rooms]
    closed = {
        (venue, date): reason
        for venue, date, reason in ClosedDate.objects.filter(
            venue__in=ids, date__gte=first_date, date__lt=last_date
        ).values_list("venue", "date", "reason")
    }
    bookings = (
        Booking.objects.live()
        .filter(
            venue__in=ids, start__lt=local_dt(last_date, dt.time()), end__gt=local_dt(first_date, dt.time())
        )
        .order_by("start")
    )
    busy = {}
    for booking in bookings:
        busy.setdefault((booking.venue_id, timezone.localtime(booking.start).date()), []).append(booking)
    result = {}
    for venue in rooms:
        rules = VenueRules.for_venue(venue)
        result[venue.pk] = []
        for offset in range(days):
            date = first_date + dt.timedelta(days=offset)
            plan = DayPlan(date=date, closed_reason=closed.get((venue.pk, date), ""))
            if not plan.closed_reason:
                plan.opening = opening_spans(rules, date)
            plan.busy = busy.get((venue.pk, date), [])
            result[venue.pk].append(plan)
    return result


def week_plan(venue, first_date, days=7):
    return plans([venue], first_date, days)[venue.pk]


def day_plan(venue, date):
    return week_plan(venue, date, days=1)[0]


def fits_opening(rules, start, end):
    """Whether [start, end) lies inside one opening span of its day."""
    date = timezone.localtime(start).date()
    return any(a <= start and end <= b for a, b in opening_spans(rules, date))


def free_rooms(rooms, *, start, end, attendees=1, lat=None, lng=None, radius_m=WALK_15_MIN_M, limit=50):
    """Rooms of `rooms` open, not closed and unbooked for all of [start, end), for `attendees` people.

    With a point: those within `radius_m`, nearest first (each with `.distance_m`); without: by site.
    Three queries: the rooms, their clashing bookings, their closed dates.
    """
    rooms = rooms.filter(capacity__gte=attendees)
    if lat is not None and lng is not None:
        candidates = nearest(
            rooms, lat, lng, radius_m=radius_m, lat_field="site__latitude", lng_field="site__longitude"
        )
    else:
        candidates = list(rooms.order_by("site__area__path", "site__name", "name")[: limit * 4])
    candidates = [v for v in candidates if fits_opening(VenueRules.for_venue(v), start, end)]
    ids = [v.pk for v in candidates]
    busy = set(
        Booking.objects.live()
        .filter(venue__in=ids, start__lt=end, end__gt=start)
        .values_list("venue", flat=True)
    )
    closed = set(
        ClosedDate.objects.filter(venue__in=ids, date=timezone.localtime(start).date()).values_list(
            "venue", flat=True
        )
    )
    return [v for v in candidates if v.pk not in busy and v.pk not in closed][:limit]


def next_free_slot(venue, *, now=None, days=7):
    """The first free hour of `venue` from now (quarter-hour aligned), as (start, end); the room's
    shortest booking when that is longer. None when nothing is free in the next `days` days."""
    now = round_up(now or timezone.now())
    rules = VenueRules.for_venue(venue)
    length = max(SLOT, dt.timedelta(minutes=rules.min_minutes))
    for plan in week_plan(venue, timezone.localtime(now).date(), days):
        for start, end in plan.free:
            start = max(start, now)
            if end - start >= length:
                return start, start + length
    return None


@dataclass
class Alternatives:
    same_room: list  # free (start, end) of the asked room that day, long enough for the booking
    nearby: list  # other rooms free for the asked span within a 15-minute walk
    length: dt.timedelta = SLOT  # how long the asked booking was

    @property
    def same_room_offers(self):
        """(free start, free end, offered end): each free span with a booking as long as the one asked."""
        return [(start, end, start + self.length) for start, end in self.same_room]


def alternatives(venue, *, start, end, attendees=1):
    """What to offer when [start, end) in `venue` is taken."""
    length = end - start
    plan = day_plan(venue, timezone.localtime(start).date())
    now = round_up(timezone.now())  # offered times land on the form's quarter-hour steps
    same_room = [(max(s, now), e) for s, e in plan.free if e - max(s, now) >= length]
    site = venue.site
    nearby = free_rooms(
        bookable_rooms().exclude(pk=venue.pk),
        start=start,
        end=end,
        attendees=attendees,
        lat=site.latitude,
        lng=site.longitude,
        limit=5,
    )
    return Alternatives(same_room=same_room, nearby=nearby, length=length)
