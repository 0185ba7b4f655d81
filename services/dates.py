"""The dates the booking pages and API accept.

Wide enough for any real booking or look-up, narrow enough that the date arithmetic behind them (a week
on, a day back, local time to UTC) never leaves Python's range: 0001-01-01 or 9999-12-31 would be a 500.
"""

import datetime as dt

from django.core.exceptions import ValidationError

FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)
OUT_OF_RANGE = "日期应在 2000-01-01 到 2100-12-31 之间。"


def in_range(date):
    return FIRST_DATE <= date <= LAST_DATE


def check_in_range(date):
    """A validator for form and serializer date fields."""
    if not in_range(date):
        raise ValidationError(OUT_OF_RANGE)
