"""The 三张清单's first two lists and what joins them: needs (需求清单), resources (资源清单),
claims (双向认领).

A claim is always between a co-building unit (`organization`) and a community (`community`), either way:
a unit claims a community's need, or a community claims a unit's resource. The quantity a need asks
for (or a resource offers) is shared out by the live claims: a stored `claimed` counter beside the
quantity, moved only by `services.claims` under a row lock on the need or resource together with the
claim rows; a CHECK keeps it within the quantity and `manage.py reconcile` compares it with the claims.
A need's partly/fully claimed and fulfilled states are derived from those counters, never typed in.
Each claim's steps are kept in `ClaimEvent`, append-only.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse

from members.models import Organization, mask_phone, phone_validator
from members.models.points import DATE_VALIDATORS, validate_service_photo
from sites.append_only import AppendOnlyModel
from sites.history import StaffEditHistory
from sites.models import Area, AreaLevel
from sites.scoping import AreaScopedQuerySet

MAX_QUANTITY = 100_000


class ServiceCategory(models.TextChoices):
    """The three 为民服务 categories (projects.models.Category uses the same keys)."""

    PARTY_BUILDING = "party_building", "党建工作类"
    PUBLIC_SERVICE = "public_service", "公共服务类"
    SELF_GOVERNANCE = "self_governance", "自治管理类"


class ServiceKind(models.TextChoices):
    """The finer kinds a need asks for and a resource can meet: what matching compares."""

    ELDERLY = "elderly", "助老"
    DISABILITY = "disability", "助残"
    ENVIRONMENT = "environment", "环境整治"
    GREENING = "greening", "绿化养护"
    CULTURE = "culture", "文体"
    FITNESS = "fitness", "健身设施"
    EDUCATION = "education", "教育"
    EMPLOYMENT = "employment", "就业"
    LEGAL = "legal", "法律"
    MEDICAL = "medical", "医疗"
    REPAIR = "repair", "便民维修"
    PARTY_LECTURE = "party_lecture", "党课宣讲"
    OTHER = "other", "其他"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "较急"
    CRITICAL = "critical", "紧急"


class NeedStatus(models.TextChoices):
    """The stage staff move a need through; `NeedState` adds what the claims make of a published one."""

    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "已关闭"
    WITHDRAWN = "withdrawn", "已撤回"
    EXPIRED = "expired", "已过期"


class NeedState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    PARTLY_CLAIMED = "partly_claimed", "部分认领"
    FULLY_CLAIMED = "fully_claimed", "已全部认领"
    FULFILLED = "fulfilled", "已完成"
    CLOSED = "closed", "已关闭"
    WITHDRAWN = "withdrawn", "已撤回"
    EXPIRED = "expired", "已过期"


def quantity_field(verbose_name="数量"):
    return models.PositiveIntegerField(
        verbose_name,
        validators=[
            MinValueValidator(1, "数量至少为 1。"),
            MaxValueValidator(MAX_QUANTITY, f"数量不能超过 {MAX_QUANTITY}。"),
        ],
    )


def coordinate(verbose_name, limit):
    return models.DecimalField(
        verbose_name,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-limit, f"应在 -{limit} 到 {limit} 之间。"),
            MaxValueValidator(limit, f"应在 -{limit} 到 {limit} 之间。"),
        ],
    )


def coordinates_in_range(prefix):
    return models.CheckConstraint(
        name=f"{prefix}_coordinates_in_range",
        condition=(Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90))
        & (Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180)),
        violation_error_message="经纬度超出范围。",
    )


class NeedQuerySet(AreaScopedQuerySet):
    area_path_lookup = "community__path"

    def on_board(self):
        """What the public board lists: published needs (claimed in part or whole, or still open)."""
        return self.filter(status=NeedStatus.PUBLISHED)

    def with_state(self):
        """Annotate `state_key`: the NeedState the stage and the counters make (one CASE, no join)."""
        return self.annotate(
            state_key=Case(
                When(~Q(status=NeedStatus.PUBLISHED), then=F("status")),
                When(fulfilled__gte=F("quantity"), then=Value(NeedState.FULFILLED)),
                When(claimed__gte=F("quantity"), then=Value(NeedState.FULLY_CLAIMED)),
                When(claimed__gt=0, then=Value(NeedState.PARTLY_CLAIMED)),
                default=Value(NeedState.PUBLISHED),
                output_field=models.CharField(),
            )
        )


class Need(models.Model):
    community = models.ForeignKey(
        Area,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="needs",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    grid = models.ForeignKey(
        Area,
        verbose_name="网格",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grid_needs",
        limit_choices_to={"level": AreaLevel.GRID},
    )
    # Empty only for the needs carried over from the projects' old free text (projects migration 0006).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    title = models.CharField("需求名称", max_length=100)
    description = models.TextField("需求描述", blank=True)
    category = models.CharField("项目类别", max_length=20, choices=ServiceCategory.choices)
    kind = models.CharField("需求类型", max_length=20, choices=ServiceKind.choices)
    address = models.CharField("地点", max_length=150, blank=True)
    latitude = coordinate("纬度", 90)
    longitude = coordinate("经度", 180)
    quantity = quantity_field("需求数量")
    unit = models.CharField("计量单位", max_length=10, default="项", help_text="如：次、人次、项。")
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    wanted_by = models.DateField("期望完成日期", null=True, blank=True, validators=DATE_VALIDATORS)
    status = models.CharField(
        "阶段", max_length=10, choices=NeedStatus.choices, default=NeedStatus.DRAFT, editable=False
    )
    claimed = models.PositiveIntegerField("已认领数量", default=0, editable=False)
    fulfilled = models.PositiveIntegerField("已完成数量", default=0, editable=False)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)

    objects = NeedQuerySet.as_manager()
    # status and the counters move by services.needs / services.claims under a row lock; the claims and
    # their events are their record.
    history = StaffEditHistory(excluded_fields=["status", "claimed", "fulfilled", "published_at"])

    class Meta:
        verbose_name = "需求"
        verbose_name_plural = "需求清单"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "community"], name="need_status_community_idx"),
            models.Index(fields=["status", "kind"], name="need_status_kind_idx"),
            models.Index(fields=["status", "wanted_by"], name="need_status_wanted_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="need_claimed_within_quantity",
                condition=Q(claimed__lte=F("quantity")),
                violation_error_message="认领数量不能超过需求数量。",
            ),
            models.CheckConstraint(
                name="need_fulfilled_within_claimed",
                condition=Q(fulfilled__lte=F("claimed")),
                violation_error_message="完成数量不能超过认领数量。",
            ),
            models.CheckConstraint(
                name="need_quantity_positive",
                condition=Q(quantity__gte=1),
                violation_error_message="数量至少为 1。",
            ),
            coordinates_in_range("need"),
        ]

    def __str__(self):
        return f"{self.community.name}：{self.title}"

    def get_absolute_url(self):
        return reverse("services:need-detail", args=[self.pk])

    @property
    def state(self):
        """The NeedState (the same rule as NeedQuerySet.with_state, for one loaded row)."""
        if self.status != NeedStatus.PUBLISHED:
            return NeedState(self.status)
        if self.fulfilled >= self.quantity:
            return NeedState.FULFILLED
        if self.claimed >= self.quantity:
            return NeedState.FULLY_CLAIMED
        return NeedState.PARTLY_CLAIMED if self.claimed else NeedState.PUBLISHED

    @property
    def state_label(self):
        return self.state.label

    @property
    def remaining(self):
        return self.quantity - self.claimed

    @property
    def point(self):
        """Where to put it on the map: its own location, else its community's centre (or None)."""
        if self.latitude is not None and self.longitude is not None:
            return self.latitude, self.longitude
        if self.community.latitude is not None and self.community.longitude is not None:
            return self.community.latitude, self.community.longitude
        return None


MAX_NEED_PHOTOS = 6


class NeedPhoto(models.Model):
    """A photo of what a need asks (the broken path, the bare plot): up to MAX_NEED_PHOTOS per need.

    Public, shown on the board's need page: only the community's staff upload them (services.needs), as
    part of what they publish, so they are chosen not to show a resident; a resident's own photos stay
    with their demand.
    """

    need = models.ForeignKey(Need, verbose_name="需求", on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        "照片",
        upload_to="services/needs/%Y/",
        validators=[validate_service_photo],
        help_text="JPG 或 PNG，不超过 5 MB。",
    )
    # Empty for the photos carried over from the one-photo field, whose need may have no recorder.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "需求照片"
        verbose_name_plural = "需求照片"
        ordering = ["need", "pk"]

    def __str__(self):
        return f"{self.need.title} 的照片 #{self.pk}"


class ResourceForm(models.TextChoices):
    VENUE = "venue", "场地"
    PROFESSIONAL = "professional", "专业服务"
    VOLUNTEERS = "volunteers", "志愿者队伍"
    FUNDS = "funds", "资金物资"
    LECTURES = "lectures", "课程讲座"


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class ResourceQuerySet(AreaScopedQuerySet):
    # Staff see the resources offered to their street (and a street's communities see their street's).
    area_path_lookup = "street__path"

    def visible_to(self, user):
        """Area staff: the resources reaching their area (a street's reach its communities' staff too);
        a unit's staff: their unit's own."""
        path = getattr(user, "scope_path", None)
        mine = Q(organization_id=user.organization_id) if getattr(user, "organization_id", None) else None
        if path is None:
            return self.filter(mine) if mine else self.none()
        reach = Q(street__path__startswith=path) | Q(street__path__in=_ancestor_paths(path))
        return self.filter(reach | mine if mine else reach)

    def on_offer(self):
        return self.filter(status=ResourceStatus.PUBLISHED)


def _ancestor_paths(path):
    """'0000001/0000007/0000042/' → ['0000001/', '0000001/0000007/']: the areas above a scope."""
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[:i]) for i in range(1, len(parts))]


class Resource(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name="提供单位", on_delete=models.PROTECT, related_name="resources"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="resources"
    )
    title = models.CharField("资源名称", max_length=100)
    description = models.TextField("资源介绍", blank=True)
    form = models.CharField("资源形式", max_length=20, choices=ResourceForm.choices)
    kind = models.CharField("服务类型", max_length=20, choices=ServiceKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    quantity = quantity_field("每年可提供数量")
    unit = models.CharField("计量单位", max_length=10, default="次", help_text="如：次、人次、场。")
    street = models.ForeignKey(
        Area,
        verbose_name="服务街道",
        on_delete=models.PROTECT,
        related_name="street_resources",
        limit_choices_to={"level": AreaLevel.TOWN},
        help_text="默认为单位挂包联系的街道。",
    )
    radius_m = models.PositiveIntegerField(
        "服务半径（米）", null=True, blank=True, help_text="留空表示整个服务街道。"
    )
    address = models.CharField("地址", max_length=150, blank=True)
    latitude = coordinate("纬度", 90)
    longitude = coordinate("经度", 180)
    available = models.CharField("可提供时间", max_length=100, blank=True, help_text="如：每周六上午。")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True, validators=[phone_validator])
    status = models.CharField(
        "状态", max_length=10, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT, editable=False
    )
    claimed = models.PositiveIntegerField("已认领数量", default=0, editable=False)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ResourceQuerySet.as_manager()
    history = StaffEditHistory(excluded_fields=["status", "claimed"])

    class Meta:
        verbose_name = "资源"
        verbose_name_plural = "资源清单"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "street", "kind"], name="resource_street_kind_idx"),
            models.Index(fields=["organization", "year"], name="resource_org_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="resource_claimed_within_quantity",
                condition=Q(claimed__lte=F("quantity")),
                violation_error_message="认领数量不能超过可提供数量。",
            ),
            coordinates_in_range("resource"),
        ]

    def __str__(self):
        return f"{self.organization.name}：{self.title}"

    @property
    def remaining(self):
        return self.quantity - self.claimed

    @property
    def masked_contact_phone(self):
        return mask_phone(self.contact_phone)


class ClaimDirection(models.TextChoices):
    NEED = "need", "单位认领社区需求"
    RESOURCE = "resource", "社区认领单位资源"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    DECLINED = "declined", "已婉拒"
    WITHDRAWN = "withdrawn", "已撤回"
    IN_PROGRESS = "in_progress", "实施中"
    COMPLETED = "completed", "已完成"
    EVALUATED = "evaluated", "已评价"


# Claims that hold their quantity of the need or resource: one per (need, unit) / (resource, community).
LIVE_CLAIM_STATUSES = [
    ClaimStatus.PENDING,
    ClaimStatus.IN_PROGRESS,
    ClaimStatus.COMPLETED,
    ClaimStatus.EVALUATED,
]
DONE_CLAIM_STATUSES = [ClaimStatus.COMPLETED, ClaimStatus.EVALUATED]


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIRLY_SATISFIED = "fairly_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class ClaimQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_CLAIM_STATUSES)

    def visible_to(self, user):
        """Area staff: claims with a community in their area; a unit's staff: their unit's claims."""
        path = getattr(user, "scope_path", None)
        mine = Q(organization_id=user.organization_id) if getattr(user, "organization_id", None) else None
        if path is None:
            return self.filter(mine) if mine else self.none()
        theirs = Q(community__path__startswith=path)
        return self.filter(theirs | mine if mine else theirs)


class Claim(models.Model):
    direction = models.CharField("认领方向", max_length=10, choices=ClaimDirection.choices)
    need = models.ForeignKey(
        Need, verbose_name="需求", null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    resource = models.ForeignKey(
        Resource, verbose_name="资源", null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="共建单位", on_delete=models.PROTECT, related_name="claims"
    )
    community = models.ForeignKey(
        Area,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="claims",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="认领人", on_delete=models.PROTECT, related_name="claims"
    )
    quantity = quantity_field("认领数量")
    note = models.CharField("认领说明", max_length=200, blank=True)
    status = models.CharField("状态", max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    decline_reason = models.CharField("婉拒原因", max_length=200, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True, validators=DATE_VALIDATORS)
    beneficiaries = models.PositiveIntegerField("惠及人次", null=True, blank=True)
    evidence = models.FileField(
        "完成照片",
        upload_to="services/claims/%Y/",
        blank=True,
        validators=[validate_service_photo],
        help_text="JPG 或 PNG，不超过 5 MB。",
    )
    completion_note = models.CharField("完成情况", max_length=300, blank=True)
    rating = models.CharField("评价", max_length=20, choices=Rating.choices, blank=True)
    evaluation_comment = models.CharField("评价意见", max_length=300, blank=True)
    created_at = models.DateTimeField("认领时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = "认领"
        verbose_name_plural = "认领"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["community", "status"], name="claim_community_status_idx"),
            models.Index(fields=["organization", "status"], name="claim_org_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "organization"],
                condition=Q(need__isnull=False, status__in=LIVE_CLAIM_STATUSES),
                name="claim_one_live_per_need_unit",
                violation_error_message="该单位已认领此需求。",
            ),
            models.UniqueConstraint(
                fields=["resource", "community"],
                condition=Q(resource__isnull=False, status__in=LIVE_CLAIM_STATUSES),
                name="claim_one_live_per_resource_community",
                violation_error_message="该社区已认领此资源。",
            ),
            models.CheckConstraint(
                name="claim_one_side",
                condition=Q(direction=ClaimDirection.NEED, need__isnull=False, resource__isnull=True)
                | Q(direction=ClaimDirection.RESOURCE, resource__isnull=False, need__isnull=True),
                violation_error_message="认领须对应一项需求或一项资源。",
            ),
            models.CheckConstraint(
                name="claim_quantity_positive",
                condition=Q(quantity__gte=1),
                violation_error_message="数量至少为 1。",
            ),
            models.CheckConstraint(
                name="claim_declined_has_reason",
                condition=~Q(status=ClaimStatus.DECLINED) | ~Q(decline_reason=""),
                violation_error_message="婉拒须填写原因。",
            ),
            models.CheckConstraint(
                name="claim_done_has_evidence",
                condition=~Q(status__in=DONE_CLAIM_STATUSES) | Q(completed_on__isnull=False),
                violation_error_message="完成须填写完成日期。",
            ),
            models.CheckConstraint(
                name="claim_evaluated_has_rating",
                condition=~Q(status=ClaimStatus.EVALUATED) | ~Q(rating=""),
                violation_error_message="评价须选择满意程度。",
            ),
        ]

    def __str__(self):
        return f"{self.organization.name} · {self.subject_title}（{self.get_status_display()}）"

    @property
    def subject_title(self):
        return self.need.title if self.need_id else self.resource.title

    @property
    def is_live(self):
        return self.status in LIVE_CLAIM_STATUSES


class ClaimEvent(AppendOnlyModel):
    """One step of a claim (claimed, accepted, declined, completed, evaluated …): its timeline."""

    claim = models.ForeignKey(Claim, verbose_name="认领", on_delete=models.PROTECT, related_name="events")
    status = models.CharField("状态", max_length=12, choices=ClaimStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="claim_events"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "认领进程"
        verbose_name_plural = "认领进程"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.claim_id} → {self.get_status_display()}"
