"""Service and points: the rules (PointRule, versioned), a volunteer's service (ServiceRecord), the
append-only ledger (PointsEntry) and the frozen monthly ranking (MonthlyRanking).

A volunteer's balance is `Volunteer.points`, a stored counter that only members/points.py moves, in the
same transaction as the ledger row it adds; `manage.py reconcile` recomputes it from the entries.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sites.append_only import AppendOnlyModel
from sites.models import PATH_STEP, Area, AreaLevel
from sites.private_storage import private_storage
from sites.scoping import AreaScopedQuerySet
from sites.uploads import JPEG, PNG, check_upload

MAX_PHOTO_BYTES = 5 * 1024 * 1024
# Photos per service record: enough to show the before, the work and the after, few enough for a phone.
MAX_SERVICE_PHOTOS = 9
# The calendar every page accepts (services.dates, an app above this one, has the same range): a date
# typed as 0001 or 9999 is a slip, and month arithmetic on it would leave Python's range.
OUT_OF_RANGE = "日期应在 2000-01-01 到 2100-12-31 之间。"
DATE_VALIDATORS = [
    MinValueValidator(datetime.date(2000, 1, 1), OUT_OF_RANGE),
    MaxValueValidator(datetime.date(2100, 12, 31), OUT_OF_RANGE),
]


def validate_service_photo(file):
    check_upload(
        file, label="照片", formats=(JPEG, PNG), max_bytes=MAX_PHOTO_BYTES, hint="请压缩或缩小后再上传"
    )


class RuleCategory(models.TextChoices):
    INFORMATION = "information", "信息采集"
    HAZARD = "hazard", "隐患排查"
    HARDSHIP = "hardship", "困难帮扶"
    VOLUNTEERING = "volunteering", "志愿服务"
    PIONEER_POST = "pioneer_post", "党员先锋岗"
    OTHER = "other", "其他"


class PointRuleQuerySet(AreaScopedQuerySet):
    def in_force(self, on):
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on)

    def applicable_to(self, community):
        """Rules of the community itself or of an area above it (its street, district, the city)."""
        path = community.path
        return self.filter(area__path__in=[path[:end] for end in range(PATH_STEP, len(path) + 1, PATH_STEP)])


class PointRule(models.Model):
    """积分标准, one version of it. A change is a new version (members/points.py: revise_rule); the old
    version's terms stay as they were, so points given under it never change."""

    code = models.SlugField("标准编号", max_length=50, help_text="同一标准的各个版本共用一个编号。")
    version = models.PositiveSmallIntegerField("版本", default=1, editable=False)
    name = models.CharField("名称", max_length=100)
    category = models.CharField("类别", max_length=20, choices=RuleCategory.choices)
    area = models.ForeignKey(
        Area,
        verbose_name="适用区域",
        on_delete=models.PROTECT,
        related_name="point_rules",
        help_text="全市、区、街道或社区：该区域及其下级的志愿者适用。",
    )
    unit = models.CharField("计量单位", max_length=10, default="小时", help_text="如：小时、次、户。")
    points_per_unit = models.PositiveIntegerField(
        "每单位积分",
        validators=[MinValueValidator(1), MaxValueValidator(10_000, "每单位积分不能超过 10000。")],
    )
    monthly_cap = models.PositiveIntegerField(
        "每月上限",
        null=True,
        blank=True,
        validators=[MaxValueValidator(1_000_000, "每月上限不能超过 1000000。")],
        help_text="每名志愿者每月按此标准最多可得的积分；留空为不限。",
    )
    evidence_required = models.BooleanField("须上传照片", default=True)
    effective_from = models.DateField("生效日期", validators=DATE_VALIDATORS)
    effective_to = models.DateField("失效日期", null=True, blank=True, validators=DATE_VALIDATORS)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = PointRuleQuerySet.as_manager()

    class Meta:
        verbose_name = "积分标准"
        verbose_name_plural = "积分标准"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="pointrule_unique_version",
                violation_error_message="该版本已存在。",
            ),
            models.CheckConstraint(
                name="pointrule_points_positive",
                condition=Q(points_per_unit__gt=0),
                violation_error_message="每单位积分须大于零。",
            ),
            models.CheckConstraint(
                name="pointrule_period_ordered",
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                violation_error_message="失效日期不能早于生效日期。",
            ),
        ]

    def __str__(self):
        return f"{self.name}（第{self.version}版，{self.points_per_unit}分/{self.unit}）"

    def clean(self):
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": "失效日期不能早于生效日期。"})
        if self.monthly_cap is not None and self.monthly_cap < self.points_per_unit:
            raise ValidationError({"monthly_cap": "每月上限不能少于一个单位的积分。"})

    def in_force(self, on):
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class ServiceStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    VERIFIED = "verified", "已通过"
    REJECTED = "rejected", "已退回"


class VolunteerOwnedQuerySet(AreaScopedQuerySet):
    """A volunteer's rows (services, entries, redemptions): the staff of their community's area, and
    the volunteer themself."""

    area_path_lookup = "volunteer__community__path"

    def visible_to(self, user):
        scoped = super().visible_to(user)
        if not user.is_authenticated:
            return scoped
        return scoped | self.filter(volunteer__user=user)


class ServiceRecordQuerySet(VolunteerOwnedQuerySet):
    def pending(self):
        return self.filter(status=ServiceStatus.SUBMITTED)


class ServiceRecord(models.Model):
    """志愿服务记录: a volunteer's service, verified or rejected by the community's staff."""

    volunteer = models.ForeignKey(
        "members.Volunteer", verbose_name="志愿者", on_delete=models.PROTECT, related_name="service_records"
    )
    rule = models.ForeignKey(
        PointRule, verbose_name="积分标准", on_delete=models.PROTECT, related_name="service_records"
    )
    title = models.CharField("服务内容", max_length=200)
    place = models.CharField("服务地点", max_length=200)
    served_on = models.DateField("服务日期", validators=DATE_VALIDATORS)
    units = models.DecimalField(
        "时长/数量",
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text="按积分标准的计量单位。",
    )
    status = models.CharField(
        "状态", max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    reject_reason = models.CharField("退回原因", max_length=300, blank=True)
    points = models.PositiveIntegerField("所得积分", default=0, help_text="通过时按积分标准和每月上限计得。")

    objects = ServiceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "志愿服务记录"
        verbose_name_plural = "志愿服务记录"
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="service_status_idx"),
            models.Index(fields=["volunteer", "-submitted_at"], name="service_volunteer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="service_units_positive",
                condition=Q(units__gt=0),
                violation_error_message="时长/数量须大于零。",
            ),
            models.CheckConstraint(
                name="service_rejected_has_reason",
                condition=~Q(status=ServiceStatus.REJECTED) | ~Q(reject_reason=""),
                violation_error_message="退回时须填写原因。",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} {self.served_on:%Y-%m-%d} {self.title}"


class ServicePhoto(models.Model):
    """An evidence photo of a service (a record has up to MAX_SERVICE_PHOTOS): private, read only by
    the volunteer and the staff who may verify the record, through its scoped view."""

    record = models.ForeignKey(
        ServiceRecord, verbose_name="服务记录", on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(
        "照片",
        upload_to="members/service/%Y/",
        storage=private_storage,
        validators=[validate_service_photo],
        help_text="JPG 或 PNG，不超过 5 MB。",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "服务照片"
        verbose_name_plural = "服务照片"
        ordering = ["record", "pk"]

    def __str__(self):
        return f"{self.record} 的照片 #{self.pk}"

    def get_absolute_url(self):
        return reverse("volunteers:service-photo", args=[self.pk])


class EntryKind(models.TextChoices):
    EARN = "earn", "获得"
    REDEEM = "redeem", "兑换"
    REVERSE = "reverse", "冲正"
    EXPIRE = "expire", "过期"


class PointsEntryQuerySet(VolunteerOwnedQuerySet):
    pass


class PointsEntry(AppendOnlyModel):
    """积分流水: one move of a volunteer's points, never edited; a mistake gets a reversing entry.

    `source` names what caused the entry ("service:12", "redemption:7:hold", "reverse:31"); it is unique,
    so posting the same thing twice, by a retry or two staff at once, posts once.
    """

    volunteer = models.ForeignKey(
        "members.Volunteer", verbose_name="志愿者", on_delete=models.PROTECT, related_name="points_entries"
    )
    kind = models.CharField("类型", max_length=10, choices=EntryKind.choices)
    amount = models.IntegerField("积分", help_text="获得为正，兑换、过期为负；冲正与原流水相反。")
    source = models.CharField("来源", max_length=60, unique=True)
    service_record = models.ForeignKey(
        ServiceRecord,
        verbose_name="服务记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rule = models.ForeignKey(
        PointRule, verbose_name="积分标准", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    redemption = models.ForeignKey(
        "members.Redemption",
        verbose_name="兑换",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name="冲正的流水",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    # The day the service or activity took place, for an earn under a rule (members/points.py:
    # earn_under_rule): the rule's monthly cap counts by it, not by when the points were posted.
    earned_on = models.DateField("服务日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A default rather than auto_now_add: imported history (and the city-scale demo) keeps its own times.
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    objects = PointsEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "积分流水"
        verbose_name_plural = "积分流水"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["volunteer", "-at"], name="points_volunteer_idx"),
            models.Index(fields=["kind", "at"], name="points_kind_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="points_amount_nonzero", condition=~Q(amount=0), violation_error_message="积分不能为零。"
            ),
            models.CheckConstraint(
                name="points_sign_by_kind",
                condition=Q(kind="earn", amount__gt=0)
                | Q(kind__in=["redeem", "expire"], amount__lt=0)
                | Q(kind="reverse"),
                violation_error_message="获得的积分须为正，兑换和过期须为负。",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} {self.get_kind_display()} {self.amount:+d}"

    # What each `source` prefix names, for people: "service:12" is 服务记录 #12.
    SOURCE_LABELS = {
        "service": "服务记录",
        "redemption": "兑换",
        "reverse": "冲正流水",
        "city": "批量导入",
        "activity": "活动出勤",  # services.activities.confirm_attendance: "activity:<sign-up pk>"
    }

    @property
    def source_label(self):
        kind, _, rest = self.source.partition(":")
        number, _, step = rest.partition(":")
        label = self.SOURCE_LABELS.get(kind)
        if label is None or not number:
            return self.source
        return f"{label} #{number}" + ("（预留）" if step == "hold" else "")


class PointsMonthQuerySet(AreaScopedQuerySet):
    area_path_lookup = "community__path"


class PointsMonth(models.Model):
    """The 获得 points of a community's volunteers in one month (Asia/Shanghai): a roll-up of the ledger
    for the area dashboard, which would otherwise add up a city's two million entries a year.

    Moved only by members/points.py, in the transaction of the entry that earns them (`post_entry`) or
    of the volunteer's move to another community (`move_volunteer`), by one conditional UPDATE or an
    insert; `manage.py reconcile` checks every row against the entries.
    """

    community = models.ForeignKey(Area, verbose_name="服务社区", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份", help_text="当月 1 日。")
    earned = models.PositiveBigIntegerField("获得积分", default=0)

    objects = PointsMonthQuerySet.as_manager()

    class Meta:
        verbose_name = "社区月度获得积分"
        verbose_name_plural = "社区月度获得积分"
        constraints = [models.UniqueConstraint(fields=["community", "month"], name="points_month_unique")]

    def __str__(self):
        return f"{self.community} {self.month:%Y-%m} 获得 {self.earned} 分"


class MonthlyRankingQuerySet(AreaScopedQuerySet):
    pass


class MonthlyRanking(models.Model):
    """每月评优: one line of a community's or street's frozen list of a closed month (members/ranking.py).

    A snapshot: written once when the month is frozen, with when; later reversals or rule changes leave
    it as it was. The name is copied so a renamed volunteer doesn't rewrite a published list.
    """

    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    area = models.ForeignKey(
        Area,
        verbose_name="社区/街道",
        on_delete=models.PROTECT,
        related_name="monthly_rankings",
        limit_choices_to={"level__in": [AreaLevel.COMMUNITY, AreaLevel.TOWN]},
    )
    rank = models.PositiveSmallIntegerField("名次")
    volunteer = models.ForeignKey(
        "members.Volunteer", verbose_name="志愿者", on_delete=models.PROTECT, related_name="rankings"
    )
    name = models.CharField("姓名", max_length=50)
    points = models.PositiveIntegerField("当月获得积分")
    frozen_at = models.DateTimeField("生成时间")

    objects = MonthlyRankingQuerySet.as_manager()

    class Meta:
        verbose_name = "每月评优"
        verbose_name_plural = "每月评优"
        ordering = ["-year", "-month", "area", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "area", "volunteer"], name="ranking_unique_line"
            ),
            models.CheckConstraint(name="ranking_month_range", condition=Q(month__gte=1, month__lte=12)),
        ]
        indexes = [models.Index(fields=["year", "month", "area", "rank"], name="ranking_list_idx")]

    def __str__(self):
        return f"{self.year}年{self.month}月 {self.area} 第{self.rank}名 {self.name}"

    @property
    def masked_name(self):
        return mask_name(self.name)


def mask_name(name):
    """张*明 for a public list; a two-character name keeps its surname only (张*)."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
