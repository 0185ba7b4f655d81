"""The seven steps of a 为民服务 project.

了解需求 → 确定项目 → 审核备案 → 经费核拨 → 组织实施 → 支出报销 → 上报公示.

`advance` is the one code path that moves a project, for the admin, the staff pages and the API alike.
Community staff run their community's steps; street staff file (or send back) and fund. Every step is
recorded with who, when and why (ProjectStep), in the same transaction as the change it records.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from members.models import Role

from . import funds
from .actors import ROLE_NAMES, may_act, require_actor
from .errors import WorkflowError
from .models import Project, ProjectStep, Status

__all__ = ["WorkflowError", "advance", "next_steps", "waiting_steps", "TRANSITIONS"]


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    role: str
    action: str  # the button's label
    needs_comment: bool = False

    @property
    def role_name(self):
        return ROLE_NAMES[self.role]


TRANSITIONS = [
    Transition(Status.SURVEYING, Status.DEFINED, Role.COMMUNITY_STAFF, "确定项目"),
    Transition(Status.DEFINED, Status.FILED, Role.STREET_STAFF, "审核通过，予以备案"),
    Transition(Status.FILED, Status.DEFINED, Role.STREET_STAFF, "退回修改", needs_comment=True),
    Transition(Status.FILED, Status.FUNDED, Role.STREET_STAFF, "核拨经费"),
    Transition(Status.FUNDED, Status.IN_PROGRESS, Role.COMMUNITY_STAFF, "开始组织实施"),
    Transition(Status.IN_PROGRESS, Status.REIMBURSED, Role.COMMUNITY_STAFF, "进入支出报销"),
    Transition(Status.REIMBURSED, Status.PUBLISHED, Role.COMMUNITY_STAFF, "上报公示"),
]


def _label(status):
    return Status(status).label


def _transition(project, to):
    if to not in Status.values:
        raise WorkflowError(f"没有“{to}”这个步骤。", kind=WorkflowError.INVALID)
    for t in TRANSITIONS:
        if t.source == project.status and t.target == to:
            return t
    if to == project.status:
        raise WorkflowError(f"项目已处于“{_label(to)}”步骤。", kind=WorkflowError.CONFLICT)
    expected = "、".join(f"“{_label(t.target)}”" for t in TRANSITIONS if t.source == project.status)
    hint = f"下一步应为{expected}。" if expected else "项目已公示，流程已结束。"
    raise WorkflowError(
        f"项目当前处于“{project.get_status_display()}”步骤，不能直接进入“{_label(to)}”。{hint}",
        kind=WorkflowError.CONFLICT,
    )


def _require_data(project, transition, comment):
    """What a step needs before it may be taken; the reason names what to fill in."""
    if transition.needs_comment and not comment:
        raise WorkflowError("退回时请填写原因，告诉社区需要修改什么。", kind=WorkflowError.INVALID)
    target = transition.target
    plans_money = target in (Status.DEFINED, Status.FILED, Status.FUNDED) and not transition.needs_comment
    if plans_money and project.budget <= 0:
        raise WorkflowError("请先填写项目预算（大于零）。", kind=WorkflowError.INVALID)
    if target == Status.REIMBURSED and not project.expenses.exists():
        raise WorkflowError("请先提交至少一笔支出及票据，再进入支出报销。", kind=WorkflowError.INVALID)
    if target == Status.PUBLISHED:
        if project.expenses.pending().exists():
            raise WorkflowError("还有待街道审核的支出，全部审核后才能上报公示。", kind=WorkflowError.CONFLICT)
        if project.actual_beneficiaries is None:
            raise WorkflowError("请先填写实际惠及人次，再上报公示。", kind=WorkflowError.INVALID)


def advance(*, project, to, by, comment=""):
    """Move `project` to step `to` as user `by`, or raise WorkflowError with the reason it may not."""
    comment = (comment or "").strip()
    with transaction.atomic():
        # Lock the project so two clicks (or two staff) cannot take the same step twice.
        locked = Project.objects.locked(project.pk)
        transition = _transition(locked, to)
        require_actor(by, locked, transition.role)
        _require_data(locked, transition, comment)
        if transition.target == Status.FUNDED:
            funds.commit_budget(project=locked, by=by)
        elif transition.target == Status.PUBLISHED:
            funds.release_unspent(project=locked, by=by)
        ProjectStep.objects.create(
            project=locked, from_status=locked.status, to_status=transition.target, by=by, comment=comment
        )
        locked.status = transition.target
        locked.updated_at = timezone.now()
        Project.objects.filter(pk=locked.pk).update(status=locked.status, updated_at=locked.updated_at)
    project.status = locked.status
    return locked


def waiting_steps(project):
    """The transitions that may follow the project's current step, whoever takes them."""
    return [t for t in TRANSITIONS if t.source == project.status]


def next_steps(project, user):
    """The transitions `user` may offer as buttons on `project` now (data checks happen on click)."""
    return [t for t in waiting_steps(project) if may_act(user, project, t.role)]
