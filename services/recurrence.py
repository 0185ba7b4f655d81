"""Dates of a recurring booking: weekly on chosen weekdays, or monthly on the n-th weekday.

dateutil's rrule does the calendar arithmetic (RFC 5545 rules: "the first Friday", "the last Monday").
"""

from dateutil import rrule

from sites.opening_hours import WEEKDAY_LABELS, WEEKDAYS

# A series is a few months of meetings, not a timetable for years: this caps one form's work.
MAX_OCCURRENCES = 52
WEEK_OF_MONTH_LABELS = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", -1: "最后一个"}


def occurrence_dates(*, frequency, first_date, weekdays, week_of_month=None, until=None, count=None):
    """The dates from `first_date` on (inclusive) that the rule gives, at most MAX_OCCURRENCES."""
    if frequency == "weekly":
        rule = rrule.rrule(
            rrule.WEEKLY, dtstart=first_date, byweekday=sorted(weekdays), until=until, count=count
        )
    else:
        byweekday = [rrule.weekday(day, week_of_month) for day in weekdays]
        rule = rrule.rrule(rrule.MONTHLY, dtstart=first_date, byweekday=byweekday, until=until, count=count)
    dates = []
    for moment in rule:
        dates.append(moment.date())
        if len(dates) >= MAX_OCCURRENCES:
            break
    return dates


def describe(frequency, weekdays, week_of_month, until, count):
    days = "、".join(WEEKDAY_LABELS[WEEKDAYS[d]] for d in sorted(weekdays))
    if frequency == "weekly":
        text = f"每{days}"
    else:
        text = f"每月{WEEK_OF_MONTH_LABELS.get(week_of_month, '')}{days}"
    if count:
        return f"{text}，共 {count} 次"
    return f"{text}，至 {until:%Y-%m-%d}" if until else text
