"""Admin for funds, projects, expenses and the ledger; workflow steps are actions calling workflow.advance."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from members.models import Role
from sites.admin_history import ScopedHistoryAdmin
from sites.admin_scoping import AreaScopedAdmin, WritePathAdmin
from sites.models import Area, AreaLevel

from . import funds, planning, workflow
from .actors import may_edit
from .errors import WorkflowError
from .models import CommunityFund, Expense, FundLedgerEntry, Project, ProjectPhoto, ProjectStep, Status


class CommentActionForm(ActionForm):
    comment = forms.CharField(label="说明/原因", required=False)


class FundAdminForm(forms.ModelForm):
    def clean_amount(self):
        # The rule funds.set_amount applies under its conditional UPDATE, asked first so the form can
        # say by how much (the CheckConstraint alone would only fail the save).
        amount = self.cleaned_data["amount"]
        refusal = funds.amount_refusal(committed=self.instance.committed, amount=amount)
        if refusal:
            raise forms.ValidationError(refusal)
        return amount


@admin.register(CommunityFund)
class CommunityFundAdmin(WritePathAdmin, ScopedHistoryAdmin, AreaScopedAdmin):
    refusals = (ValidationError, WorkflowError)
    # Street and district staff may set another amount for a community; committed and spent only move
    # through funds.py, which also writes the amount (never the whole row).
    editing_roles = list(funds.FUND_SETTERS)
    form = FundAdminForm
    list_display = ["community", "year", "amount", "committed", "spent"]
    list_filter = ["year"]
    list_select_related = ["community"]
    search_fields = ["community__name"]
    raw_id_fields = ["community"]

    def get_readonly_fields(self, request, obj=None):
        # Committed money belongs to its community-year: moving the row would strand it.
        return ["committed", "spent"] + (["community", "year"] if obj is not None else [])

    def has_delete_permission(self, request, obj=None):
        return False  # the ledger refers to it; a fund is corrected by setting its amount

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            funds.set_amount(fund=obj, amount=data["amount"], by=request.user)
        else:
            self.adopt(obj, funds.open_fund(by=request.user, **data))


class PhotoInline(admin.TabularInline):
    model = ProjectPhoto
    extra = 0

    # Photos follow the project's edit rule (actors.may_edit), as on the project page.
    @staticmethod
    def _editable(request, project):
        return project is None or may_edit(request.user, project)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


class StepInline(admin.TabularInline):
    """The timeline, read-only: steps are only added by workflow.advance."""

    model = ProjectStep
    extra = 0
    fields = ["at", "from_status", "to_status", "by", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _step_name(transition):
    return f"step_{transition.source}_{transition.target}"


def _step_action(transition):
    def act(modeladmin, request, queryset):
        comment = request.POST.get("comment", "")
        done = 0
        for project in queryset.select_related("community"):
            try:
                workflow.advance(project=project, to=transition.target, by=request.user, comment=comment)
                done += 1
            except WorkflowError as error:
                modeladmin.message_user(request, f"“{project}”：{error.message}", messages.ERROR)
        if done:
            modeladmin.message_user(
                request, f"已办理“{transition.action}”：{done} 个项目。", messages.SUCCESS
            )

    act.__name__ = _step_name(transition)
    act.short_description = f"{transition.action}（{Status(transition.target).label}）"
    return act


@admin.register(Project)
class ProjectAdmin(WritePathAdmin, ScopedHistoryAdmin, AreaScopedAdmin):
    refusals = (ValidationError, WorkflowError)
    list_display = ["title", "community", "year", "category", "status", "budget", "spent", "showcase"]
    list_filter = ["year", "status", "category", "showcase"]
    list_select_related = ["community"]
    search_fields = ["title", "community__name"]
    raw_id_fields = ["community", "partners", "needs"]
    # In the model's order whichever of them are read-only (Django would move those to the end).
    fields = [
        "community", "year", "title", "category", "budget", "status", "spent", "description", "needs",
        "partners", "expected_beneficiaries", "actual_beneficiaries", "showcase",
    ]  # fmt: skip
    inlines = [PhotoInline, StepInline]
    action_form = CommentActionForm
    actions = [_step_action(t) for t in workflow.TRANSITIONS]

    def get_readonly_fields(self, request, obj=None):
        """What planning.editable_fields does not let this person change (the pages' and the API's
        rule): the community's staff edit until 公示, the plan is fixed once filed, 百佳示范 is a
        superuser's award; community, step and money are never typed in."""
        editable = planning.editable_fields(request.user, obj) | ({"community"} if obj is None else set())
        return [name for name in self.fields if name not in editable]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "community":
            # Only the communities this person may start projects in.
            kwargs["queryset"] = Area.objects.visible_to(request.user).filter(level=AreaLevel.COMMUNITY)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return planning.may_create(request.user)

    def has_change_permission(self, request, obj=None):
        # A project nobody may change now opens as a read-only page (its steps stay actions).
        return request.user.is_area_staff and (
            obj is None or bool(planning.editable_fields(request.user, obj))
        )

    def has_delete_permission(self, request, obj=None):
        # Only a draft still at 了解需求; "delete selected" is not offered (see get_actions).
        return obj is not None and planning.may_delete(request.user, obj)

    def get_actions(self, request):
        """Only the steps this person's role takes (street staff file and fund, community staff the
        rest; superusers every one): a step offered to the wrong role could only be refused."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        for transition in workflow.TRANSITIONS:
            if not request.user.acts_as(transition.role):
                actions.pop(_step_name(transition), None)
        return actions

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in planning.FIELDS}
            planning.edit_project(project=obj, by=request.user, changes=changes)
        else:
            self.adopt(obj, planning.create_project(by=request.user, **data))

    def delete_model(self, request, obj):
        planning.delete_project(project=obj, by=request.user)


@admin.register(Expense)
class ExpenseAdmin(AreaScopedAdmin):
    """Expenses come in through the pages or the API (funds.submit_expense); here street staff decide.

    Nothing is edited here: saving the row would write back a status read before a concurrent decision.
    """

    list_display = ["purpose", "project", "date", "payee", "amount", "status"]
    list_filter = ["status"]
    list_select_related = ["project"]
    search_fields = ["purpose", "payee", "project__title"]
    action_form = CommentActionForm
    actions = ["approve", "reject"]
    # The receipt is kept in private storage with no public URL: linked through the scoped view instead.
    exclude = ["receipt"]
    readonly_fields = [f.name if f.name != "receipt" else "receipt_link" for f in Expense._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return request.user.acts_as(Role.STREET_STAFF)

    @admin.display(description="票据")
    def receipt_link(self, expense):
        return format_html('<a href="{}">查看票据</a>', expense.get_absolute_url())

    def _decide(self, request, queryset, operation, label):
        done = 0
        for expense in queryset:
            try:
                operation(expense=expense, by=request.user, note=request.POST.get("comment", ""))
                done += 1
            except WorkflowError as error:
                self.message_user(request, f"“{expense}”：{error.message}", messages.ERROR)
        if done:
            self.message_user(request, f"已{label} {done} 笔支出。", messages.SUCCESS)

    @admin.action(description="通过所选支出", permissions=["decide"])
    def approve(self, request, queryset):
        self._decide(request, queryset, funds.approve_expense, "通过")

    @admin.action(description="退回所选支出（请在“说明/原因”中填写原因）", permissions=["decide"])
    def reject(self, request, queryset):
        self._decide(request, queryset, funds.reject_expense, "退回")


@admin.register(FundLedgerEntry)
class FundLedgerEntryAdmin(AreaScopedAdmin):
    """The ledger is append-only: readable here, written only by funds.py."""

    list_display = ["at", "fund", "project", "kind", "amount", "by"]
    list_filter = ["kind"]
    list_select_related = ["fund__community", "project", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
