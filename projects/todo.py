"""待办: everything that waits for one signed-in user, oldest first, as lists each app contributes.

Street staff: bookings to review, projects to file or fund, expenses to approve. Community staff:
projects waiting on their step, expenses sent back. Organisers: their bookings pending or refused.
Who gets which list is asked of the one vocabulary (`User.acts_as`, `is_area_staff`) and of the
workflow's transitions, never of roles by hand. Each list is two queries (its rows, its count) whatever
the data size; the header's badges are one query for all the counts, the 站内信's unread included.
"""

from django.db.models import Func, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from members.models import Notification, Role, User
from services.demand_todo import demand_lists
from services.todo import TodoList, booking_lists

from .models import Expense, ExpenseStatus, Project, Status
from .workflow import TRANSITIONS

ROWS = 50  # each list shows the oldest 50; its heading says how many there are in all


def project_lists(user):
    lists = []
    for t in TRANSITIONS:
        if t.needs_comment or not user.acts_as(t.role):
            continue  # a send-back is a choice at the same step, not a separate task
        lists.append(
            TodoList(
                f"projects_{t.source}",
                f"停在“{Status(t.source).label}”的项目：待“{t.action}”",
                Project.objects.visible_to(user)
                .filter(status=t.source)
                .select_related("community__parent")
                .order_by("updated_at", "pk"),
                "todo/includes/project_row.html",
                reverse("projects:project-list") + f"?status={t.source}",
            )
        )
    expenses = Expense.objects.visible_to(user).select_related("project__community")
    if user.acts_as(Role.STREET_STAFF):
        lists.append(
            TodoList(
                "expenses_to_approve",
                "待审核的支出",
                expenses.pending().order_by("submitted_at", "pk"),
                "todo/includes/expense_row.html",
                reverse("projects:project-list"),
            )
        )
    if user.acts_as(Role.COMMUNITY_STAFF):
        lists.append(
            TodoList(
                "expenses_sent_back",
                "被退回的支出（重新提交或说明）",
                expenses.filter(
                    status=ExpenseStatus.REJECTED, project__status__in=[Status.IN_PROGRESS, Status.REIMBURSED]
                ).order_by("decided_at", "pk"),
                "todo/includes/expense_row.html",
                reverse("projects:project-list"),
            )
        )
    return lists


def lists_for(user):
    return booking_lists(user) + demand_lists(user) + project_lists(user)


def _count(queryset):
    """COUNT(*) of `queryset` as a scalar subquery (no GROUP BY: one row, even for no rows)."""
    counted = queryset.order_by().annotate(_n=Func("pk", function="COUNT")).values("_n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def counts(user):
    """{list key: count} for every list of `user`, and the 站内信 unread count under UNREAD, in one query."""
    lists = lists_for(user)
    annotations = {t.key: _count(t.queryset) for t in lists}
    annotations[UNREAD] = _count(Notification.objects.unread_of(user))
    return User.objects.filter(pk=user.pk).annotate(**annotations).values(*annotations).get()


UNREAD = "inbox_unread"


class HeaderCounts:
    """The header's badges (待办, 站内信), worked out in one query only when a template reads one."""

    def __init__(self, user, counts=None):
        self.user = user
        self._counts = counts

    def _load(self):
        if self._counts is None:
            self._counts = counts(self.user) if self.user.is_authenticated else {}
        return self._counts

    @property
    def total(self):
        return sum(n for key, n in self._load().items() if key != UNREAD)

    @property
    def unread(self):
        return self._load().get(UNREAD, 0)


def header(request):
    """Context processor: `todo.total` and `todo.unread` for the header's 待办 and 站内信 links."""
    return {"todo": HeaderCounts(request.user)} if hasattr(request, "user") else {}
