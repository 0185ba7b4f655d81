"""督办 (supervision): demands past their deadline are marked 超期, their handler and community told;
one working day later still open, they go up to the street, whose staff add notes the handler answers.

`check_deadlines` is the periodic job's body (services/tasks.py): each mark is a conditional UPDATE of a
column still empty and each message has its key, so a second run (or two workers) changes and sends
nothing more. A reopen clears both marks: the new deadline is watched afresh.
"""

from django.db import transaction
from django.utils import timezone

from members.errors import Refusal
from members.models import Role

from .demand_models import OPEN_STATUSES, Demand, SupervisionNote
from .demands import _tell, handlers_of
from .templatetags.demands import deadline_label
from .working_days import deadline_after

# 超期 one more working day than this, still open: escalated to the street.
ESCALATE_AFTER_WORKING_DAYS = 1


def check_deadlines(*, now=None):
    """Mark what is newly overdue and escalate what is overdue a working day more; (marked, escalated)."""
    now = now or timezone.now()
    marked = escalated = 0
    due = Demand.objects.filter(status__in=OPEN_STATUSES, deadline__lt=now, overdue_at=None)
    for demand in due.select_related("community").iterator(chunk_size=500):
        with transaction.atomic():
            if not Demand.objects.filter(pk=demand.pk, overdue_at=None, status__in=OPEN_STATUSES).update(
                overdue_at=now
            ):
                continue
            marked += 1
            key = f"overdue:{demand.reopen_count}"
            for user in [*handlers_of(demand), *demand.community.staff.filter(is_active=True)]:
                _tell(user, demand, "demand_overdue", key, deadline=deadline_label(demand.deadline))
    late = Demand.objects.filter(status__in=OPEN_STATUSES, overdue_at__isnull=False, escalated_at=None)
    for demand in late.select_related("community__parent").iterator(chunk_size=500):
        if now <= deadline_after(demand.deadline, ESCALATE_AFTER_WORKING_DAYS):
            continue
        with transaction.atomic():
            if not Demand.objects.filter(pk=demand.pk, escalated_at=None, status__in=OPEN_STATUSES).update(
                escalated_at=now
            ):
                continue
            escalated += 1
            street = demand.community.parent
            for user in street.staff.filter(is_active=True, role=Role.STREET_STAFF):
                _tell(user, demand, "demand_escalated", f"escalated:{demand.reopen_count}")
    return marked, escalated


def supervision_list(user):
    """The 督办 list of street staff (and above): escalated demands still open in their area, oldest
    deadline first."""
    return (
        Demand.objects.managed_by(user)
        .filter(status__in=OPEN_STATUSES, escalated_at__isnull=False)
        .select_related("community", "category")
        .order_by("deadline", "pk")
    )


def add_note(*, demand, by, note, now=None):
    """A 督办 note by the street's staff (or above) on an overdue demand; its handlers are told."""
    note = (note or "").strip()
    if not note:
        raise Refusal("请填写督办意见。", kind=Refusal.INVALID)
    street = demand.community.parent
    if not by.can_manage(street) or not (
        by.is_superuser or by.role in (Role.STREET_STAFF, Role.DISTRICT_ADMIN)
    ):
        raise Refusal("只有该街道及上级的工作人员可以督办。", kind=Refusal.FORBIDDEN)
    if demand.overdue_at is None or demand.status not in OPEN_STATUSES:
        raise Refusal("只能督办超期未办结的诉求。")
    now = now or timezone.now()
    with transaction.atomic():
        supervision = SupervisionNote.objects.create(demand=demand, by=by, at=now, note=note)
        for user in [*handlers_of(demand), *demand.community.staff.filter(is_active=True)]:
            _tell(user, demand, "demand_supervised", f"supervision:{supervision.pk}", note=note)
    return supervision


def answer_note(*, supervision, by, answer, now=None):
    """The handler's answer (the taker, or the community's staff), once."""
    answer = (answer or "").strip()
    if not answer:
        raise Refusal("请填写答复内容。", kind=Refusal.INVALID)
    demand = supervision.demand
    if not by.can_manage(demand.community) and by not in handlers_of(demand):
        raise Refusal("只有诉求的办理人或社区工作人员可以答复督办。", kind=Refusal.FORBIDDEN)
    now = now or timezone.now()
    with transaction.atomic():
        if not SupervisionNote.objects.filter(pk=supervision.pk, answered_at=None).update(
            answer=answer, answered_by=by, answered_at=now
        ):
            raise Refusal("该督办意见已经答复过了。")
        _tell(
            supervision.by, demand, "demand_supervision_answered", f"answer:{supervision.pk}", answer=answer
        )
    supervision.refresh_from_db()
    return supervision
