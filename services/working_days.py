"""Working days (工作日) for demand deadlines: the State Council's holidays and 调休 make-up workdays.

The calendar is the maintained `chinesecalendar` package (updated each year when the State Council
publishes the next year's arrangement), never a hand-kept list. For a year the installed package does
not know yet (it is published each December), Monday to Friday are working days until the package is
upgraded: a deadline in that year may then move by the year's holidays, which `pip install -U` fixes.

A demand accepted on a day has N working days *after* that day; its deadline is the end (23:59:59 in
Asia/Shanghai) of the N-th. Counting starts the next day, as 「N 个工作日内办结」 is read by the offices.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar

LOCAL = ZoneInfo("Asia/Shanghai")
END_OF_DAY = dt.time(23, 59, 59)


def is_working_day(day):
    """Whether `day` (a date) is a working day: holidays off, 调休 weekends on."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the installed calendar does not cover
        return day.weekday() < 5


def add_working_days(day, count):
    """The `count`-th working day after `day` (a date); `count` ≥ 1."""
    while count > 0:
        day += dt.timedelta(days=1)
        count -= is_working_day(day)
    return day


def deadline_after(moment, days):
    """The deadline of something taken on at `moment` (aware) with `days` working days: the end of the
    `days`-th working day after that day, local time, as an aware datetime."""
    local_day = moment.astimezone(LOCAL).date()
    return dt.datetime.combine(add_working_days(local_day, days), END_OF_DAY, tzinfo=LOCAL)


def working_days_between(start, end):
    """Working days from `start` to `end` (aware datetimes), counted as the deadline counts them: the
    working days after `start`'s day up to and including `end`'s day; 0 when done the same day."""
    first, last = start.astimezone(LOCAL).date(), end.astimezone(LOCAL).date()
    count, day = 0, first
    while day < last:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count
