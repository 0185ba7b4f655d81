"""为民服务 projects, each community's yearly fund (CommunityFund), its ledger and the projects' expenses.

The rules that move money live in `projects/funds.py` and `projects/workflow.py`; the database checks
below are the last line: whatever a bug or a race does, committed never passes the fund, spent never
passes the budget, and the ledger is never rewritten.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from members.models import Organization
from services.dates import FIRST_DATE, LAST_DATE
from services.models import Need
from sites.append_only import AppendOnlyModel
from sites.history import StaffEditHistory
from sites.models import Area, AreaLevel
from sites.scoping import AreaScopedQuerySet

from .receipts import private_storage, validate_receipt


def money(verbose_name, **kwargs):
    """Money in 元: a decimal with two places, never a float (DESIGN.md section 4)."""
    kwargs.setdefault("default", Decimal("0.00"))
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), "金额不能为负数。")],
        **kwargs,
    )


# The years of the system's calendar (services.dates), which the 公示 pages and dashboards read too
# (projects.forms.YearField): a project outside them could never be published.
OUT_OF_YEARS = f"年度应在 {FIRST_DATE.year} 到 {LAST_DATE.year} 之间。"
YEAR_VALIDATORS = [
    MinValueValidator(FIRST_DATE.year, OUT_OF_YEARS),
    MaxValueValidator(LAST_DATE.year, OUT_OF_YEARS),
]


def paid_by_today(date):
    """An expense is money already paid: a date to come is a typing slip."""
    if date > timezone.localdate():
        raise ValidationError("支出日期不能晚于今天。")
    if date < FIRST_DATE:
        raise ValidationError(f"支出日期应在 {FIRST_DATE.year} 年以后。")


def default_fund_amount():
    return settings.COMMUNITY_FUND_DEFAULT


class CommunityFundQuerySet(AreaScopedQuerySet):
    area_path_lookup = "community__path"


class CommunityFund(models.Model):
    community = models.ForeignKey(
        Area,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="funds",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    amount = money("经费总额（元）", default=default_fund_amount)
    committed = money("已核拨（元）", editable=False)
    spent = money("已支出（元）", editable=False)

    objects = CommunityFundQuerySet.as_manager()
    # committed and spent move by QuerySet.update with a ledger row: the ledger is their history, and
    # here they would show up in the next edit's record as if its editor had changed them.
    history = StaffEditHistory(excluded_fields=["committed", "spent"])

    class Meta:
        verbose_name = "为民服务专项经费"
        verbose_name_plural = "为民服务专项经费"
        ordering = ["-year", "community__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"],
                name="fund_one_per_community_year",
                violation_error_message="该社区该年度的专项经费已存在。",
            ),
            models.CheckConstraint(
                name="fund_amounts_not_negative",
                condition=Q(amount__gte=0, committed__gte=0, spent__gte=0),
                violation_error_message="金额不能为负数。",
            ),
            models.CheckConstraint(
                name="fund_committed_within_amount",
                condition=Q(committed__lte=F("amount")),
                violation_error_message="经费总额不能少于已核拨给项目的金额。",
            ),
            models.CheckConstraint(
                name="fund_spent_within_committed",
                condition=Q(spent__lte=F("committed")),
                violation_error_message="已支出不能超过已核拨金额。",
            ),
        ]

    def __str__(self):
        return f"{self.community} {self.year}年专项经费"

    @property
    def available(self):
        return self.amount - self.committed


class Category(models.TextChoices):
    PARTY_BUILDING = "party_building", "党建工作类"
    PUBLIC_SERVICE = "public_service", "公共服务类"
    SELF_GOVERNANCE = "self_governance", "自治管理类"


class Status(models.TextChoices):
    SURVEYING = "surveying", "了解需求"
    DEFINED = "defined", "确定项目"
    FILED = "filed", "审核备案"
    FUNDED = "funded", "经费核拨"
    IN_PROGRESS = "in_progress", "组织实施"
    REIMBURSED = "reimbursed", "支出报销"
    PUBLISHED = "published", "上报公示"


# The steps during which expenses are handed in and approved.
EXPENSE_STATUSES = (Status.IN_PROGRESS, Status.REIMBURSED)


class ProjectQuerySet(AreaScopedQuerySet):
    area_path_lookup = "community__path"

    def of_year(self, year):
        return self.filter(year=year)

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def locked(self, pk):
        """The project, its row locked until the transaction ends: every write of a project (a step,
        an expense, an edit) takes this lock first, so they happen one after another."""
        return self.select_for_update(of=("self",)).select_related("community").get(pk=pk)


class Project(models.Model):
    community = models.ForeignKey(
        Area,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="projects",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    title = models.CharField("项目名称", max_length=120)
    description = models.TextField("项目内容", blank=True)
    category = models.CharField("项目类别", max_length=20, choices=Category.choices)
    budget = money("预算（元）")
    needs = models.ManyToManyField(
        Need,
        verbose_name="回应的群众需求",
        blank=True,
        related_name="projects",
        help_text="本社区需求清单中的需求，如：老年人就餐难。",
    )
    partners = models.ManyToManyField(
        Organization, verbose_name="共建单位", blank=True, related_name="service_projects"
    )
    expected_beneficiaries = models.PositiveIntegerField("预计惠及人次", default=0)
    actual_beneficiaries = models.PositiveIntegerField("实际惠及人次", null=True, blank=True)
    showcase = models.BooleanField("百佳示范项目", default=False)
    status = models.CharField(
        "当前步骤", max_length=20, choices=Status.choices, default=Status.SURVEYING, editable=False
    )
    spent = money("已支出（元）", editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectQuerySet.as_manager()
    # status and spent move by QuerySet.update (workflow, funds): the timeline and the ledger are their
    # history; here they would show up in the next edit's record as if its editor had changed them.
    history = StaffEditHistory(excluded_fields=["status", "spent"])

    class Meta:
        verbose_name = "为民服务项目"
        verbose_name_plural = "为民服务项目"
        ordering = ["-year", "community__path", "pk"]
        indexes = [
            # 公示 page and the staff list: one community's projects of a year.
            models.Index(fields=["community", "year"], name="project_community_year_idx"),
            # Dashboards: a year's projects grouped by step and category.
            models.Index(fields=["year", "status", "category"], name="project_year_status_idx"),
            models.Index(fields=["showcase", "year"], name="project_showcase_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="project_money_not_negative",
                condition=Q(budget__gte=0, spent__gte=0),
                violation_error_message="金额不能为负数。",
            ),
            models.CheckConstraint(
                name="project_spent_within_budget",
                condition=Q(spent__lte=F("budget")),
                violation_error_message="项目支出不能超过预算。",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project-detail", args=[self.pk])

    @property
    def remaining(self):
        return self.budget - self.spent

    # What the street files at 审核备案: fixed from then on (plan_locked).
    PLAN_FIELDS = ("title", "category", "budget", "year")

    @property
    def plan_locked(self):
        """Once filed with the street, the plan (title, category, budget) is what was approved."""
        return self.status not in (Status.SURVEYING, Status.DEFINED)

    @property
    def step_states(self):
        """(label, "done" | "current" | "todo") for each of the seven steps, in order."""
        current = Status.values.index(self.status)
        return [
            (label, "done" if i < current else "current" if i == current else "todo")
            for i, (_, label) in enumerate(Status.choices)
        ]

    @property
    def takes_expenses(self):
        return self.status in EXPENSE_STATUSES


class ProjectPhoto(models.Model):
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField("照片", upload_to="projects/photos/%Y/")
    caption = models.CharField("说明", max_length=120, blank=True)

    class Meta:
        verbose_name = "项目照片"
        verbose_name_plural = "项目照片"
        ordering = ["pk"]

    def __str__(self):
        return self.caption or f"照片 {self.pk}"


class ProjectStepQuerySet(AreaScopedQuerySet):
    area_path_lookup = "project__community__path"


class ProjectStep(AppendOnlyModel):
    # PROTECT, not CASCADE: the database refuses to delete a step, so deleting a project with a
    # timeline is refused before any SQL runs (the admin lists the steps that keep it), not by a 500.
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="steps")
    from_status = models.CharField("原步骤", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("新步骤", max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    comment = models.TextField("说明", blank=True)

    objects = ProjectStepQuerySet.as_manager()

    class Meta:
        verbose_name = "项目步骤记录"
        verbose_name_plural = "项目步骤记录"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["project", "at"], name="step_project_at_idx")]

    def __str__(self):
        return f"{self.project}：{self.get_to_status_display()}"

    @property
    def is_send_back(self):
        order = Status.values
        return bool(self.from_status) and order.index(self.to_status) < order.index(self.from_status)


class LedgerKind(models.TextChoices):
    COMMIT = "commit", "核拨"
    EXPENSE = "expense", "支出"
    RELEASE = "release", "结余退回"


class FundLedgerEntryQuerySet(AreaScopedQuerySet):
    area_path_lookup = "fund__community__path"


class FundLedgerEntry(AppendOnlyModel):
    fund = models.ForeignKey(
        CommunityFund, verbose_name="专项经费", on_delete=models.PROTECT, related_name="ledger"
    )
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField("类型", max_length=10, choices=LedgerKind.choices)
    amount = money("金额（元）")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    objects = FundLedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "经费流水"
        verbose_name_plural = "经费流水"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["fund", "at"], name="ledger_fund_at_idx")]
        constraints = [
            models.CheckConstraint(
                name="ledger_amount_positive",
                condition=Q(amount__gt=0),
                violation_error_message="流水金额必须大于零。",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} 元"


class ExpenseStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已退回"


class ExpenseQuerySet(AreaScopedQuerySet):
    area_path_lookup = "project__community__path"

    def pending(self):
        return self.filter(status=ExpenseStatus.SUBMITTED)


class Expense(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="expenses"
    )
    date = models.DateField("支出日期", validators=[paid_by_today])
    payee = models.CharField("收款单位/人", max_length=120)
    # 公示 names organisations that were paid, never private persons.
    payee_is_person = models.BooleanField(
        "收款方为个人", default=False, help_text="个人姓名不会在公示中显示。"
    )
    amount = money("金额（元）", default=None)
    purpose = models.CharField("用途", max_length=200)
    receipt = models.FileField(
        "票据（PDF/JPG/PNG，不超过 5 MB）",
        upload_to="projects/receipts/%Y/",
        storage=private_storage,
        validators=[validate_receipt],
    )
    status = models.CharField(
        "审核状态",
        max_length=10,
        choices=ExpenseStatus.choices,
        default=ExpenseStatus.SUBMITTED,
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    decision_note = models.CharField("审核意见", max_length=200, blank=True, editable=False)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        verbose_name = "支出报销"
        verbose_name_plural = "支出报销"
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["project", "status"], name="expense_project_status_idx")]
        constraints = [
            models.CheckConstraint(
                name="expense_amount_positive",
                condition=Q(amount__gt=0),
                violation_error_message="支出金额必须大于零。",
            )
        ]

    def __str__(self):
        return f"{self.purpose}（{self.amount} 元）"

    def get_absolute_url(self):
        return reverse("projects:expense-receipt", args=[self.pk])
