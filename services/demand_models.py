"""Residents' demands (居民诉求, 点单) and their closed loop; `services.demands` holds the operations.

居民点单 → 受理 (the deadline is fixed here, in working days, from the category's limit *at that moment*:
editing a category later moves no accepted deadline) → 组织下单 (dispatched to a party member who reported
to the community, or to an organisation: a volunteer team or a co-building unit) → 党员接单 (one active
taker: a partial unique index) → 办结 → 评价 → closed. Side exits, each with a reason: 不予受理, duplicate
(of another demand), 转办 (to the street or another community: a new demand there), 转入需求清单.
A 不满意 rating, or the resident within 7 days of the resolution, reopens it: back to dispatched with a
new deadline and one more on `reopen_count`.

Every change of state is a `DemandTransition` written in the same transaction as the state (both by
`services.demands._move`), append-only by database triggers: replaying a demand's transitions gives its
state and reopen count, which `manage.py reconcile` checks.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from members.models import Member, Organization, mask_phone
from members.models.points import validate_service_photo
from sites.append_only import AppendOnlyModel
from sites.history import StaffEditHistory
from sites.models import Area, AreaLevel
from sites.private_storage import private_storage
from sites.scoping import AreaScopedQuerySet, any_of

from .list_models import Rating
from .resident_models import Resident


class DemandStatus(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    ACCEPTED = "accepted", "已受理"
    DISPATCHED = "dispatched", "已派单"
    TAKEN = "taken", "已接单"
    RESOLVED = "resolved", "已办结"
    CLOSED = "closed", "已关闭"
    REJECTED = "rejected", "不予受理"
    DUPLICATE = "duplicate", "重复诉求"
    TRANSFERRED = "transferred", "已转办"
    PROMOTED = "promoted", "转入需求清单"


# Running against a deadline: accepted and not yet resolved (or ended by a side exit).
OPEN_STATUSES = (DemandStatus.ACCEPTED, DemandStatus.DISPATCHED, DemandStatus.TAKEN)
# Resolved at least once and not reopened since: what 办结 counts.
DONE_STATUSES = (DemandStatus.RESOLVED, DemandStatus.CLOSED)
# Ended without being resolved: never counted as fixed.
EXIT_STATUSES = (
    DemandStatus.REJECTED,
    DemandStatus.DUPLICATE,
    DemandStatus.TRANSFERRED,
    DemandStatus.PROMOTED,
)


class Channel(models.TextChoices):
    """How a demand reached the community: the resident online, or staff on their behalf."""

    ONLINE = "online", "居民网上反映"
    PHONE = "phone", "电话"
    VISIT = "visit", "网格走访"
    COUNTER = "counter", "窗口来访"
    OTHER = "other", "其他"


class DemandCategory(models.Model):
    """A kind of demand (环境卫生, 设施维修…) with its time limit in working days, kept by staff."""

    name = models.CharField("类别名称", max_length=50, unique=True)
    deadline_days = models.PositiveSmallIntegerField(
        "办理时限（工作日）",
        validators=[
            MinValueValidator(1, "办理时限至少 1 个工作日。"),
            MaxValueValidator(60, "办理时限不能超过 60 个工作日。"),
        ],
        help_text="受理后多少个工作日内办结；修改只影响此后受理的诉求。",
    )
    active = models.BooleanField("启用", default=True, help_text="停用后居民不能再选择此类别。")
    position = models.PositiveSmallIntegerField("排序", default=0)

    history = StaffEditHistory()

    class Meta:
        verbose_name = "诉求类别"
        verbose_name_plural = "诉求类别"
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                name="demand_category_deadline_range",
                condition=Q(deadline_days__gte=1, deadline_days__lte=60),
                violation_error_message="办理时限应在 1 到 60 个工作日之间。",
            )
        ]

    def __str__(self):
        return self.name


class DemandQuerySet(AreaScopedQuerySet):
    area_path_lookup = "community__path"

    def visible_to(self, user):
        """The resident who raised it, the staff of its community (and above), and whoever it is
        dispatched to or taken by (the member, or the people of the organisation).

        Each test reads a short list of ids first and matches a column of the demand against it
        (`any_of`), so on PostgreSQL the OR is one index scan per test: a join in one of them, or a
        plain `IN (subquery)`, makes it a test of every demand in the city."""
        if not user.is_authenticated:
            return self.none()
        if user.scope_path == "":
            return self.all()
        own = Q(raised_by=user) | Q(any_of("resident_id", Resident.objects.filter(user=user).values("pk")))
        return self.filter(own | self._handled_by(user))

    def handled_by(self, user):
        """What `user` handles: the demands within their staff scope, and those dispatched to them (as a
        party member, or to their organisation) or taken by them; the staff inbox."""
        if user.scope_path == "":
            return self.all()
        return self.filter(self._handled_by(user))

    def _handled_by(self, user):
        member = Member.objects.filter(user=user).values("pk")
        taken = DemandTaking.objects.filter(member__user=user, released_at=None).values("demand_id")
        handled = Q(any_of("dispatched_member_id", member)) | Q(any_of("pk", taken))
        if user.organization_id:
            handled |= Q(dispatched_organization_id=user.organization_id)
        if user.scope_path is not None:
            communities = Area.objects.filter(path__startswith=user.scope_path).values("pk")
            handled |= Q(any_of("community_id", communities))
        return handled

    def managed_by(self, user):
        """The demands within `user`'s staff scope, what they handle as staff; runs no query of its own
        (the 待办 header counts on it)."""
        return super().visible_to(user)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_viewer(self, user):
        """What `user` may see, each row knowing whether they are its active taker (the phone rule),
        so a list asks no query per row."""
        if not user.is_authenticated:
            return self.none()
        live = DemandTaking.objects.filter(demand=models.OuterRef("pk"), released_at=None, member__user=user)
        return self.visible_to(user).annotate(taken_by_viewer=models.Exists(live))


class Demand(models.Model):
    resident = models.ForeignKey(
        Resident,
        verbose_name="反映人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demands",
        help_text="工作人员代为登记（来电、走访）且居民未注册时为空。",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(
        "反映渠道", max_length=10, choices=Channel.choices, default=Channel.ONLINE, editable=False
    )
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    community = models.ForeignKey(
        Area,
        verbose_name="所属社区",
        on_delete=models.PROTECT,
        related_name="demands",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    grid = models.ForeignKey(
        Area,
        verbose_name="所属网格",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grid_demands",
        limit_choices_to={"level": AreaLevel.GRID},
    )
    category = models.ForeignKey(
        DemandCategory, verbose_name="类别", on_delete=models.PROTECT, related_name="demands"
    )
    title = models.CharField("标题", max_length=100)
    description = models.TextField("具体情况", max_length=2000)
    latitude = models.DecimalField(
        "纬度", max_digits=9, decimal_places=6, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.DecimalField(
        "经度", max_digits=9, decimal_places=6, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    address = models.CharField("详细地址", max_length=200, blank=True)
    photo = models.FileField(
        "照片",
        upload_to="services/demands/%Y/",
        storage=private_storage,
        blank=True,
        validators=[validate_service_photo],
        help_text="JPG 或 PNG，不超过 5 MB。",
    )
    status = models.CharField(
        "状态", max_length=20, choices=DemandStatus.choices, default=DemandStatus.SUBMITTED, editable=False
    )
    submitted_at = models.DateTimeField("反映时间", editable=False)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True, editable=False)
    deadline_days = models.PositiveSmallIntegerField("办理时限（工作日）", null=True, editable=False)
    deadline = models.DateTimeField("办结期限", null=True, blank=True, editable=False)
    dispatched_member = models.ForeignKey(
        Member,
        verbose_name="派给党员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatched_demands",
        editable=False,
    )
    dispatched_organization = models.ForeignKey(
        Organization,
        verbose_name="派给组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatched_demands",
        editable=False,
    )
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True, editable=False)
    resolution_note = models.TextField("办理结果", blank=True, editable=False)
    resolution_photo = models.FileField(
        "办结照片",
        upload_to="services/demands/done/%Y/",
        storage=private_storage,
        blank=True,
        validators=[validate_service_photo],
        editable=False,
    )
    working_days_taken = models.PositiveSmallIntegerField(
        "办理用时（工作日）", null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True, editable=False)
    reopen_count = models.PositiveSmallIntegerField("重新办理次数", default=0, editable=False)
    overdue_at = models.DateTimeField("超期标记时间", null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField("升级督办时间", null=True, blank=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="重复于",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        editable=False,
    )
    transferred_area = models.ForeignKey(
        Area,
        verbose_name="转办至",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demands_transferred_in",
        editable=False,
        help_text="转给街道或其他社区。",
    )
    transferred_to = models.ForeignKey(
        "self",
        verbose_name="转办后的诉求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_from",
        editable=False,
    )

    need = models.ForeignKey(
        "services.Need",
        verbose_name="转入的需求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demands",
        editable=False,
        help_text="转入需求清单后，诉求随该需求办理。",
    )

    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = "居民诉求"
        verbose_name_plural = "居民诉求"
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["community", "status", "-submitted_at"], name="demand_inbox_idx"),
            models.Index(fields=["status", "deadline"], name="demand_deadline_idx"),
            models.Index(fields=["resident", "-submitted_at"], name="demand_resident_idx"),
            models.Index(fields=["grid", "status"], name="demand_grid_idx"),
            models.Index(fields=["category", "status"], name="demand_category_idx"),
            # The figures (services/demand_figures.py) read a subtree's demands of a year from this index
            # alone, one community at a time, with every column they count (id for the evaluations).
            models.Index(
                fields=["community", "submitted_at"],
                include=[
                    "status",
                    "category",
                    "grid",
                    "deadline",
                    "resolved_at",
                    "working_days_taken",
                    "reopen_count",
                    "id",
                ],
                name="demand_figures_idx",
            ),  # fmt: skip
            # Newest first across the city (Open311's requests, the superuser's API list): read backwards
            # until the page is full instead of sorting a quarter's demands.
            models.Index(fields=["submitted_at", "id"], name="demand_newest_idx"),
            # The 督办 list and its count in every street page's 待办 badge: the few escalated demands
            # still open, not a scan of every open demand for the mark.
            models.Index(
                fields=["community", "deadline"],
                condition=Q(escalated_at__isnull=False, status__in=OPEN_STATUSES),
                name="demand_escalated_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(name="demand_status_valid", condition=Q(status__in=DemandStatus.values)),
            models.CheckConstraint(
                name="demand_latitude_range",
                condition=Q(latitude__gte=-90, latitude__lte=90),
                violation_error_message="纬度应在 -90 到 90 之间。",
            ),
            models.CheckConstraint(
                name="demand_longitude_range",
                condition=Q(longitude__gte=-180, longitude__lte=180),
                violation_error_message="经度应在 -180 到 180 之间。",
            ),
            # Accepted means a deadline: every state past 受理 carries the one fixed then.
            models.CheckConstraint(
                name="demand_accepted_has_deadline",
                condition=~Q(status__in=[*OPEN_STATUSES, *DONE_STATUSES]) | Q(deadline__isnull=False),
            ),
            models.CheckConstraint(
                name="demand_resolved_has_time",
                condition=~Q(status__in=DONE_STATUSES) | Q(resolved_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self):
        return reverse("services:demand-detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def contact_phone_for(self, viewer):
        """The contact phone as `viewer` may read it: in full for the resident, the staff of the demand's
        own community (who handle it; street and district staff supervise and see it masked), the
        active taker and superusers; masked for everyone else."""
        if viewer.is_superuser or (self.resident_id and self.resident.user_id == viewer.pk):
            return self.contact_phone
        if viewer.scope_path is not None and viewer.area_id == self.community_id:
            return self.contact_phone
        taken = getattr(self, "taken_by_viewer", None)  # annotated by lists (DemandQuerySet.for_viewer)
        if taken is None:
            taken = self.takings.filter(released_at=None, member__user=viewer).exists()
        if taken:
            return self.contact_phone
        return mask_phone(self.contact_phone)


class DemandTaking(models.Model):
    """接单: a party member takes a dispatched demand; released when it is reopened or sent elsewhere.
    At most one live taking per demand: a partial unique index, whatever races."""

    demand = models.ForeignKey(Demand, verbose_name="诉求", on_delete=models.CASCADE, related_name="takings")
    member = models.ForeignKey(
        Member, verbose_name="接单党员", on_delete=models.PROTECT, related_name="demand_takings"
    )
    taken_at = models.DateTimeField("接单时间")
    released_at = models.DateTimeField("释放时间", null=True, blank=True)
    completed = models.BooleanField("已办结", default=False)

    class Meta:
        verbose_name = "接单记录"
        verbose_name_plural = "接单记录"
        indexes = [models.Index(fields=["member", "-taken_at"], name="demand_taking_member_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["demand"],
                condition=Q(released_at__isnull=True),
                name="demand_one_active_taker",
                violation_error_message="该诉求已有党员接单。",
            )
        ]

    def __str__(self):
        return f"{self.member} 接单 {self.demand_id}"


class DemandTransition(AppendOnlyModel):
    """One change of a demand's state: who, when, from, to, why. Never edited (database triggers)."""

    demand = models.ForeignKey(
        Demand, verbose_name="诉求", on_delete=models.PROTECT, related_name="transitions"
    )
    at = models.DateTimeField("时间")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="为空表示系统自动（如到期自动关闭）。",
    )
    from_status = models.CharField("原状态", max_length=20, choices=DemandStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=DemandStatus.choices)
    note = models.TextField("说明", blank=True)
    deadline = models.DateTimeField("办结期限", null=True, blank=True)

    class Meta:
        verbose_name = "诉求流转记录"
        verbose_name_plural = "诉求流转记录"
        # Written under the demand's row lock, so the id order is the order of events (a clock may not be).
        ordering = ["pk"]
        indexes = [models.Index(fields=["demand", "at"], name="demand_transition_idx")]

    def __str__(self):
        return f"{self.get_from_status_display() or '新建'} → {self.get_to_status_display()}"

    @property
    def is_reopen(self):
        return self.from_status == DemandStatus.RESOLVED and self.to_status == DemandStatus.DISPATCHED


class Evaluation(AppendOnlyModel):
    """评价: the resident's rating of one resolution (the demand's `round`, its reopen count then)."""

    demand = models.ForeignKey(
        Demand, verbose_name="诉求", on_delete=models.PROTECT, related_name="evaluations"
    )
    round = models.PositiveSmallIntegerField("第几次办结", help_text="0 为首次办结，重新办理后依次加 1。")
    rating = models.CharField("评价", max_length=20, choices=Rating.choices)
    comment = models.TextField("评价内容", max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评价人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("评价时间")

    class Meta:
        verbose_name = "诉求评价"
        verbose_name_plural = "诉求评价"
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "round"],
                name="evaluation_once_per_resolution",
                violation_error_message="这次办结已经评价过了。",
            ),
            models.CheckConstraint(name="evaluation_rating_valid", condition=Q(rating__in=Rating.values)),
        ]

    def __str__(self):
        return f"{self.demand_id} {self.get_rating_display()}"


class SupervisionNote(models.Model):
    """督办意见: street staff's note on an overdue demand, which its handler must answer."""

    demand = models.ForeignKey(
        Demand, verbose_name="诉求", on_delete=models.PROTECT, related_name="supervision_notes"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="督办人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("督办时间")
    note = models.TextField("督办意见", max_length=1000)
    answer = models.TextField("答复", max_length=1000, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "督办意见"
        verbose_name_plural = "督办意见"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["demand", "at"], name="supervision_demand_idx")]
        constraints = [
            models.CheckConstraint(
                name="supervision_answer_complete",
                condition=Q(answered_at__isnull=True, answer="")
                | Q(answered_at__isnull=False, answered_by__isnull=False) & ~Q(answer=""),
            )
        ]

    def __str__(self):
        return f"督办 #{self.demand_id}"
