"""督办: a demand past its deadline is marked 超期 (handler and community told), escalated to the street
one working day later (the 国庆 holiday is not a working day), once however often the job runs; street
staff note it and the handler answers."""

import datetime as dt

import pytest
import time_machine

from members.errors import Refusal
from members.models import Notification
from services import demands as ops
from services import supervision
from services.models import Demand
from services.tasks import check_demand_deadlines
from services.working_days import LOCAL
from tests.factories import DemandCategoryFactory, DemandFactory, StaffFactory, TownFactory

pytestmark = pytest.mark.django_db


def at(month, day, hour=10):
    return dt.datetime(2026, month, day, hour, tzinfo=LOCAL)


@pytest.fixture
def overdue(resident, staff, member):
    """Accepted Tuesday 09-29 with one working day: due 09-30 23:59, the eve of the holiday."""
    demand = DemandFactory(
        resident=resident, category=DemandCategoryFactory(name="环境卫生", deadline_days=1)
    )
    with time_machine.travel(at(9, 29), tick=False):
        ops.accept(demand=demand, by=staff)
        ops.dispatch(demand=demand, by=staff, member=member)
        ops.take(demand=demand, by=member.user)
    return Demand.objects.get(pk=demand.pk)


def test_overdue_then_escalated_after_one_more_working_day_over_the_holiday(
    overdue, staff, member, street_staff
):
    with time_machine.travel(at(10, 1), tick=False):
        assert check_demand_deadlines() == (1, 0, 0)
        assert check_demand_deadlines() == (0, 0, 0)
    told = Notification.objects.filter(template="demand_overdue").values_list("recipient", flat=True)
    assert sorted(told) == sorted([member.user.pk, staff.pk])
    assert "2026-09-30 23:59" in Notification.objects.filter(template="demand_overdue").first().body
    # The holiday's last day: overdue for no working day yet.
    with time_machine.travel(at(10, 7), tick=False):
        assert supervision.check_deadlines() == (0, 0)
    # 10-08 is the working day after the deadline; by 10-09 it has passed.
    with time_machine.travel(at(10, 9), tick=False):
        assert supervision.check_deadlines() == (0, 1)
        assert supervision.check_deadlines() == (0, 0)
    assert list(
        Notification.objects.filter(template="demand_escalated").values_list("recipient", flat=True)
    ) == [street_staff.pk]
    assert list(supervision.supervision_list(street_staff)) == [overdue]


def test_the_street_notes_and_the_handler_answers_once(overdue, staff, member, street_staff):
    with time_machine.travel(at(10, 9), tick=False):
        supervision.check_deadlines()
    overdue.refresh_from_db()
    with pytest.raises(Refusal, match="只有该街道"):
        supervision.add_note(
            demand=overdue, by=StaffFactory(role="street_staff", area=TownFactory()), note="快"
        )
    with pytest.raises(Refusal, match="请填写督办意见"):
        supervision.add_note(demand=overdue, by=street_staff, note=" ")
    note = supervision.add_note(demand=overdue, by=street_staff, note="请本周内办结并答复")
    assert Notification.objects.filter(template="demand_supervised", recipient=member.user).exists()
    answered = supervision.answer_note(supervision=note, by=member.user, answer="已联系保洁，明天清理")
    assert (answered.answer, answered.answered_by) == ("已联系保洁，明天清理", member.user)
    with pytest.raises(Refusal, match="已经答复过了"):
        supervision.answer_note(supervision=note, by=staff, answer="再答")


def test_a_reopen_clears_the_marks(overdue, staff, member, resident):
    with time_machine.travel(at(10, 9), tick=False):
        supervision.check_deadlines()
        ops.resolve(demand=overdue, by=member.user, note="已清理")
        ops.reopen(demand=overdue, by=resident.user, note="又脏了")
    overdue.refresh_from_db()
    assert (overdue.overdue_at, overdue.escalated_at, overdue.reopen_count) == (None, None, 1)
