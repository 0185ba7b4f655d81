"""A project's plan and details: starting a project, editing it, deleting an untouched draft.

The one write path for these, for the staff pages, the API and the admin alike. Which fields a person
may change is decided here once (`editable_fields`); the forms disable, the admin shows read-only and
the API refuses exactly those. The step (`status`) and the money (`spent`) are never written here:
they belong to workflow.py and funds.py. An edit's UPDATE names only the columns the person changed,
under the project's row lock, so an expense approved or a step taken meanwhile is never undone.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from members.models import Role
from sites.models import AreaLevel

from .actors import may_act, may_edit
from .errors import WorkflowError
from .models import Project, Status

# The details the community keeps up to date until 公示.
DETAIL_FIELDS = ("needs", "description", "partners", "expected_beneficiaries", "actual_beneficiaries")
# The city's award: only a superuser gives or takes it, at any step.
AWARD_FIELDS = ("showcase",)
# Every field a person can ever set on a project; community, status and spent are not among them.
FIELDS = (*Project.PLAN_FIELDS, *DETAIL_FIELDS, *AWARD_FIELDS)


def may_create(user, community=None):
    """Community staff start projects for their own community; superusers for any community.

    Without `community`: whether `user` may start a project anywhere (to offer the button).
    """
    if not user.is_authenticated:
        return False
    if community is not None and community.level != AreaLevel.COMMUNITY:
        return False
    return user.acts_as(Role.COMMUNITY_STAFF, community)


def may_delete(user, project):
    """Only a draft still at 了解需求 (no step taken yet); from then on the project is part of the record."""
    return project.status == Status.SURVEYING and may_act(user, project, Role.COMMUNITY_STAFF)


def editable_fields(user, project=None):
    """The fields `user` may change on `project` now, or set on a new project (None)."""
    fields = set()
    if project is None or may_edit(user, project):
        fields.update(DETAIL_FIELDS)
        if project is None or not project.plan_locked:
            fields.update(Project.PLAN_FIELDS)
    if user.is_superuser:
        fields.update(AWARD_FIELDS)
    return fields


def refusal(user, project, field):
    """Why `user` may not change `field` on `project` (None: a new one), in words for the person."""
    if field in AWARD_FIELDS:
        return "百佳示范项目由市级管理员评定。"
    if field in Project.PLAN_FIELDS and may_edit(user, project):
        return "已报街道审核备案，不能再修改。"
    if project.status == Status.PUBLISHED:
        return "项目已公示，不能再修改。"
    return "只有本社区工作人员可以修改未公示的项目。"


# Links to other records, set after the row is saved.
RELATED_FIELDS = ("partners", "needs")


def create_project(*, community, by, partners=(), needs=(), **details):
    """Start a project (了解需求) for `community` with the plan and details given; `needs` are the
    community's needs (需求清单) it answers."""
    if not may_create(by, community):
        raise WorkflowError("只有社区工作人员可以为本社区新建项目。", kind=WorkflowError.FORBIDDEN)
    unknown = set(details) - set(FIELDS)
    if unknown:
        raise TypeError(f"not a project field one may set: {sorted(unknown)}")
    refused = {name: refusal(by, None, name) for name in details if name not in editable_fields(by)}
    if refused:
        raise ValidationError(refused)
    _check_needs(community, needs)
    project = Project(community=community, **details)
    project.full_clean()
    with transaction.atomic():
        project.save()
        project.partners.set(partners)
        project.needs.set(needs)
    return project


def project_from_claim(*, claim, by, year, budget, category=None, title=None):
    """An accepted claim on a need becomes a 为民服务 project of the need's community (了解需求), paid
    from its fund through the seven steps: it answers the need, and the claiming unit is its partner."""
    from services.list_models import ClaimDirection, ClaimStatus

    if claim.direction != ClaimDirection.NEED or claim.status not in (
        ClaimStatus.IN_PROGRESS, ClaimStatus.COMPLETED, ClaimStatus.EVALUATED,
    ):  # fmt: skip
        raise ValidationError("只有已确认的需求认领可以转为为民服务项目。")
    need = claim.need
    return create_project(
        community=claim.community, by=by, year=year, budget=budget, title=title or need.title,
        category=category or need.category, description=need.description, needs=[need],
        partners=[claim.organization],
    )  # fmt: skip


def _check_needs(community, needs):
    stray = [n for n in needs if n.community_id != community.pk]
    if stray:
        raise ValidationError({"needs": f"“{stray[0].title}”不是本社区的需求。"})


def edit_project(*, project, by, changes):
    """Apply `changes` ({field: new value}) to `project` as `by`; only the fields that really change
    are written. Raises WorkflowError when `by` may not edit at all, ValidationError naming the fields
    that may not (or not so) be changed."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"not a project field one may set: {sorted(unknown)}")
    with transaction.atomic():
        # The lock orders this edit against a step (filing locks the plan) or an approved expense.
        locked = Project.objects.locked(project.pk)
        changed = {name: value for name, value in changes.items() if _differs(locked, name, value)}
        if not changed:
            return locked
        allowed = editable_fields(by, locked)
        if not allowed:
            raise WorkflowError(refusal(by, locked, next(iter(changed))), kind=WorkflowError.FORBIDDEN)
        refused = {name: refusal(by, locked, name) for name in changed if name not in allowed}
        if refused:
            raise ValidationError(refused)
        if "needs" in changed:
            _check_needs(locked.community, changed["needs"])
        related = {name: changed.pop(name) for name in RELATED_FIELDS if name in changed}
        for name, value in changed.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=[f.name for f in Project._meta.fields if f.name not in changed])
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        for name, value in related.items():
            getattr(locked, name).set(value)
    return locked


def delete_project(*, project, by):
    with transaction.atomic():
        locked = Project.objects.locked(project.pk)
        if not may_delete(by, locked):
            raise WorkflowError("只能删除尚处于“了解需求”步骤的本社区项目。", kind=WorkflowError.FORBIDDEN)
        locked.delete()


def _differs(project, name, value):
    if name in RELATED_FIELDS:
        return {p.pk for p in value} != set(getattr(project, name).values_list("pk", flat=True))
    return getattr(project, name) != value
