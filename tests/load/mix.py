"""The requests of the load test's mix, shared by the locust users (locustfile.py) and the CPU meter
(cpu.py), so both measure the same URLs and bodies. Pure functions of the targets JSON (targets.py)."""

import datetime as dt
import random

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def free_rooms_query(targets):
    """A resident's "free rooms near me" search: one of the sites' points, 14:00–16:00 on one of the next
    seven days, for 10 people."""
    lat, lng = random.choice(targets["points"])
    day = dt.date.today() + dt.timedelta(days=random.randint(1, 7))
    return {"date": day, "start_time": "14:00", "end_time": "16:00", "attendees": 10, "lat": lat, "lng": lng}


def slot(day, hour):
    """The hour from `hour` o'clock, `day` days from today, in Shanghai time."""
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=day), dt.time(hour), SHANGHAI)
    return start, start + dt.timedelta(hours=1)


def booking_body(room, start, end):
    return {
        "venue": room,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "title": "压力测试活动",
        "purpose": "three_meetings",
        "attendees": 5,
        "contact_phone": "13800000000",
        "group_name": "压力测试小组",
    }
