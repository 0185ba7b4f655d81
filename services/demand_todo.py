"""待办 rows of the residents' demands: what waits for staff (to accept, overdue, escalated 督办, notes to
answer) and for party members (orders to take, orders taken to resolve). The 待办 page (projects/todo.py)
shows them beside the other apps' lists and counts them into the header's badge.

No query is run here: every list is a lazy queryset (a member's own rows through `member__user`), so
the header's one count query stays one query for everybody.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from members.models import Member, Role

from .demand_models import OPEN_STATUSES, Demand, DemandStatus, DemandTaking, SupervisionNote
from .supervision import supervision_list
from .todo import TodoList

ROW = "todo/includes/demand_row.html"
# The accounts a party member takes orders with (a member's volunteer account included).
MEMBER_ROLES = (Role.MEMBER, Role.VOLUNTEER)


def demand_lists(user):
    lists = []
    mine = Demand.objects.managed_by(user).select_related("community", "category")
    inbox = reverse("services:demand-inbox")
    if user.acts_as(Role.COMMUNITY_STAFF):
        lists += [
            TodoList(
                "demands_to_accept", "待受理的居民诉求", mine.filter(status=DemandStatus.SUBMITTED)
                .order_by("submitted_at", "pk"), ROW, inbox,
            ),
            TodoList(
                "demands_overdue", "超期未办结的居民诉求", mine.filter(
                    status__in=OPEN_STATUSES, deadline__lt=timezone.now()
                ).order_by("deadline", "pk"), ROW, inbox,
            ),
        ]  # fmt: skip
    if user.acts_as(Role.STREET_STAFF):
        lists.append(
            TodoList(
                "demands_escalated",
                "升级督办的居民诉求",
                supervision_list(user),
                ROW,
                reverse("services:demand-supervision"),
            )  # fmt: skip
        )
    answerable = _answerable_notes(user)
    if answerable is not None:
        lists.append(
            TodoList(
                "demand_notes_to_answer",
                "待答复的督办意见",
                answerable.select_related("demand__community", "by").order_by("at", "pk"),
                "todo/includes/supervision_note_row.html",
                inbox if user.is_area_staff else "#demand_notes_to_answer",
            )  # fmt: skip
        )
    if user.is_superuser or user.role in MEMBER_ROLES:
        lists += _order_lists(user)
    return lists


def _taken_by(user):
    return DemandTaking.objects.filter(released_at=None, member__user=user).values("demand_id")


def _answerable_notes(user):
    """Unanswered 督办 notes the user handles: their community's as its staff, their orders as a taker."""
    handles = Q()
    if user.acts_as(Role.COMMUNITY_STAFF):
        handles |= Q(demand__community__path__startswith=user.scope_path)
    if user.is_superuser or user.role in MEMBER_ROLES:
        handles |= Q(demand__in=_taken_by(user))
    if not handles:
        return None
    return SupervisionNote.objects.filter(handles, answered_at=None, demand__status__in=OPEN_STATUSES)


def _order_lists(user):
    """组织下单 → 党员接单: what was dispatched to the member (or their branch or group), what they took.
    They work on each demand's page, so a list links to itself on the 待办 page."""
    member = Member.objects.filter(user=user)
    dispatched = Q(dispatched_member__user=user) | Q(
        dispatched_organization__in=member.values("organization_id")
    ) | Q(dispatched_organization__in=member.values("group_id"))  # fmt: skip
    orders = Demand.objects.select_related("community", "category")
    return [
        TodoList(
            "orders_to_take", "待接单的居民诉求",
            orders.filter(dispatched, status=DemandStatus.DISPATCHED).order_by("deadline", "pk"), ROW,
            "#orders_to_take",
        ),
        TodoList(
            "orders_to_resolve", "已接单待办结的居民诉求",
            orders.filter(pk__in=_taken_by(user), status=DemandStatus.TAKEN).order_by("deadline", "pk"), ROW,
            "#orders_to_resolve",
        ),
    ]  # fmt: skip
