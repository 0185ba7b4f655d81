"""Deadlines in Chinese working days: 国庆 and 中秋 off, the 调休 weekends on (package chinesecalendar)."""

import datetime as dt

import pytest
import time_machine

from services import demands as ops
from services.models import Demand
from services.templatetags.demands import deadline_label
from services.working_days import (
    LOCAL,
    add_working_days,
    deadline_after,
    is_working_day,
    working_days_between,
)
from tests.factories import DemandCategoryFactory, DemandFactory


def at(day, hour=10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LOCAL)


def test_the_2026_national_day_holiday_and_its_make_up_days():
    assert not any(is_working_day(dt.date(2026, 10, d)) for d in range(1, 8))
    assert is_working_day(dt.date(2026, 9, 20))  # a Sunday worked for the holiday (调休)
    assert is_working_day(dt.date(2026, 10, 10))  # a Saturday worked for it
    assert not is_working_day(dt.date(2026, 9, 25))  # 中秋节, a Friday


def test_a_deadline_runs_over_the_holiday():
    # Accepted Tuesday 09-29 with three working days: 09-30, then 10-08 and 10-09 after the holiday.
    deadline = deadline_after(at(dt.date(2026, 9, 29)), 3)
    assert deadline == dt.datetime(2026, 10, 9, 23, 59, 59, tzinfo=LOCAL)
    assert deadline_label(deadline) == "2026-10-09 23:59（周五）"
    # A week of holiday is not a week of work.
    assert working_days_between(at(dt.date(2026, 9, 30)), at(dt.date(2026, 10, 8))) == 1
    assert add_working_days(dt.date(2026, 10, 9), 1) == dt.date(2026, 10, 10)


def test_a_year_the_calendar_does_not_know_yet_counts_monday_to_friday():
    assert add_working_days(dt.date(2099, 1, 2), 1) == dt.date(2099, 1, 5)  # Friday → Monday


@pytest.mark.django_db
def test_accepting_before_the_holiday_fixes_the_deadline_after_it(staff, resident):
    demand = DemandFactory(
        resident=resident, category=DemandCategoryFactory(name="环境卫生", deadline_days=3)
    )
    with time_machine.travel(at(dt.date(2026, 9, 29)), tick=False):
        ops.accept(demand=demand, by=staff)
    assert Demand.objects.get(pk=demand.pk).deadline == dt.datetime(2026, 10, 9, 23, 59, 59, tzinfo=LOCAL)
