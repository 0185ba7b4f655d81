"""Staff pages: their area's projects, a project's timeline and next steps, expenses and receipts.

Every lookup goes through `visible_to(request.user)`, so another area's project is a 404. The views only
translate between HTTP and `workflow.advance` / `funds.*`, which hold the rules.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from members.models import Role
from services.models import Claim, ClaimDirection, ClaimStatus
from sites.uploads import private_file_response

from .. import funds, planning, workflow
from ..actors import may_act, may_edit
from ..errors import WorkflowError
from ..forms import (
    ClaimProjectForm,
    DecisionForm,
    ExpenseForm,
    PhotoForm,
    ProjectFilterForm,
    ProjectForm,
    StepForm,
)
from ..models import CommunityFund, Expense, Project, ProjectStep, Status
from .access import page_of, staff_required, this_year

PAGE_SIZE = 30


@staff_required
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    # A blank year means this year: say so in the box rather than leave it looking unset.
    form.fields["year"].widget.attrs["placeholder"] = this_year()
    projects = Project.objects.visible_to(request.user).select_related("community__parent")
    status = 200
    if form.is_bound and not form.is_valid():
        status, projects = 400, projects.none()
    else:
        filters = form.cleaned_data if form.is_bound else {}
        projects = projects.filter(year=filters.get("year") or this_year())
        if filters.get("status"):
            projects = projects.filter(status=filters["status"])
        if filters.get("category"):
            projects = projects.filter(category=filters["category"])
        if filters.get("q"):
            projects = projects.filter(title__contains=filters["q"])
    page = page_of(request, projects, PAGE_SIZE)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "year": (form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None) or this_year(),
        "may_create": _own_community(request.user) is not None,
        "query": params.urlencode(),
    }
    return render(request, "projects/project_list.html", context, status=status)


def _project(request, pk):
    return get_object_or_404(
        Project.objects.visible_to(request.user).select_related("community__parent"), pk=pk
    )


def _render_form(request, form, community):
    context = {"form": form, "community": community}
    if not form.instance.pk:
        context["claims"] = claims_to_plan(community)
        context["claim_form"] = ClaimProjectForm()
    return render(request, "projects/project_form.html", context, status=400 if form.errors else 200)


def _own_community(user):
    """The community this page starts projects in: the user's own (superusers use the admin)."""
    community = user.area
    return community if community is not None and planning.may_create(user, community) else None


@staff_required
def project_create(request):
    community = _own_community(request.user)
    if community is None:
        raise PermissionDenied("只有社区工作人员可以为本社区新建项目。")
    form = ProjectForm(request.POST or None, community=community, user=request.user)
    if form.is_valid():
        try:
            project = planning.create_project(community=community, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已新建项目“{project.title}”，当前步骤：了解需求。")
            return redirect(project)
    return _render_form(request, form, community)


def claims_to_plan(community):
    """The community's accepted claims on its needs that no project answers yet (三张清单 → 项目清单)."""
    return (
        Claim.objects.filter(
            community=community,
            direction=ClaimDirection.NEED,
            status__in=[ClaimStatus.IN_PROGRESS, ClaimStatus.COMPLETED, ClaimStatus.EVALUATED],
            need__projects__isnull=True,
        )
        .select_related("need", "organization")
        .order_by("-created_at")
    )


@staff_required
@require_POST
def project_from_claim(request, pk):
    community = _own_community(request.user)
    if community is None:
        raise PermissionDenied("只有社区工作人员可以为本社区新建项目。")
    claim = get_object_or_404(claims_to_plan(community), pk=pk)
    form = ClaimProjectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "预算：" + "；".join(form.errors["budget"]))
        return redirect("projects:project-create")
    try:
        project = planning.project_from_claim(
            claim=claim, by=request.user, year=this_year(), budget=form.cleaned_data["budget"]
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("projects:project-create")
    messages.success(
        request, f"已由“{claim.organization}”的认领新建项目“{project.title}”，当前步骤：了解需求。"
    )
    return redirect(project)


@staff_required
def project_edit(request, pk):
    project = _project(request, pk)
    if not may_edit(request.user, project):
        raise PermissionDenied("只有本社区工作人员可以修改未公示的项目。")
    form = ProjectForm(request.POST or None, instance=project, community=project.community, user=request.user)
    if form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            planning.edit_project(project=project, by=request.user, changes=changes)
        except ValidationError as error:
            form.add_error(None, error)
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "项目信息已保存。")
            return redirect(project)
    return _render_form(request, form, project.community)


def _render_detail(request, project, *, step_form=None, expense_form=None, photo_form=None, status=200):
    user = request.user
    expenses = Expense.objects.filter(project=project).select_related("submitted_by", "approved_by")
    context = {
        "project": project,
        "steps": ProjectStep.objects.filter(project=project).select_related("by"),
        "expenses": expenses,
        "photos": project.photos.all(),
        "partners": project.partners.all(),
        "needs": project.needs.all(),
        "next_steps": workflow.next_steps(project, user),
        "waiting_for": [t for t in workflow.waiting_steps(project) if not t.needs_comment],
        "step_form": step_form or StepForm(),
        "expense_form": expense_form or ExpenseForm(),
        "photo_form": photo_form or PhotoForm(),
        "may_submit_expense": project.takes_expenses and may_act(user, project, Role.COMMUNITY_STAFF),
        "may_decide": may_act(user, project, Role.STREET_STAFF),
        "may_edit": may_edit(user, project),
        "fund": _fund_before_funding(project),
    }
    return render(request, "projects/project_detail.html", context, status=status)


def _fund_before_funding(project):
    """At 审核备案 (next: 经费核拨) the community-year fund, to show what is left before and after this
    budget; read only (an unopened fund is shown with the default amount, not created by a page view)."""
    if project.status != Status.FILED:
        return None
    fund = CommunityFund.objects.filter(community=project.community, year=project.year).first()
    fund = fund or CommunityFund(community=project.community, year=project.year)
    return {"fund": fund, "after": fund.available - project.budget}


STATUS_FOR_ERROR = {
    WorkflowError.INVALID: 400,
    WorkflowError.FORBIDDEN: 403,
    WorkflowError.NOT_FOUND: 404,
    WorkflowError.CONFLICT: 409,
}


@staff_required
def project_detail(request, pk):
    if request.method == "POST":  # the step form posts here, so a refused step keeps the project's URL
        return project_advance(request, pk)
    return _render_detail(request, _project(request, pk))


@staff_required
@require_POST
def project_advance(request, pk):
    project = _project(request, pk)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            workflow.advance(
                project=project,
                to=form.cleaned_data["to"],
                by=request.user,
                comment=form.cleaned_data["comment"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
            # The comment stays in the box so the person can fix and resend it.
            return _render_detail(request, project, step_form=form, status=STATUS_FOR_ERROR[error.kind])
        messages.success(request, f"已办理：{project.get_status_display()}。")
        return redirect(project)
    messages.error(request, "请选择要办理的步骤。")
    return _render_detail(request, project, step_form=form, status=400)


@staff_required
@require_POST
def expense_submit(request, pk):
    project = _project(request, pk)
    form = ExpenseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            funds.submit_expense(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "支出已提交，等待街道审核。")
            return redirect(project)
    reasons = "；".join(e.rstrip("。") for e in form.non_field_errors()) or "请按表单中的提示修改"
    messages.error(request, f"支出未能提交：{reasons}。")
    return _render_detail(request, project, expense_form=form, status=400)


@staff_required
@require_POST
def expense_decide(request, pk):
    expense = get_object_or_404(Expense.objects.visible_to(request.user).select_related("project"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择通过或退回。")
        return redirect(expense.project)
    try:
        if form.cleaned_data["decision"] == "approve":
            funds.approve_expense(expense=expense, by=request.user, note=form.cleaned_data["note"])
            messages.success(request, f"已通过支出：{expense}。")
        else:
            funds.reject_expense(expense=expense, by=request.user, note=form.cleaned_data["note"])
            messages.success(request, f"已退回支出：{expense}。")
    except WorkflowError as error:
        messages.error(request, error.message)
    return redirect(expense.project)


@staff_required
def expense_receipt(request, pk):
    """Receipts are not public media: only staff who may see the expense can open its file."""
    expense = get_object_or_404(Expense.objects.visible_to(request.user), pk=pk)
    return private_file_response(expense.receipt)


@staff_required
@require_POST
def photo_upload(request, pk):
    project = _project(request, pk)
    if not may_edit(request.user, project):
        raise PermissionDenied("只有本社区工作人员可以上传项目照片。")
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():  # shown beside the form, with the caption kept
        return _render_detail(request, project, photo_form=form, status=400)
    form.instance.project = project
    form.save()
    messages.success(request, "照片已上传。")
    return redirect(project)
