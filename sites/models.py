"""The 区—镇—村—网格 hierarchy (Area), the 阵地 on it (Site: 中心/站/点) and their rooms (Venue)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse

from .history import StaffEditHistory
from .opening_hours import OpeningHours, validate_opening_hours
from .private_storage import private_storage
from .scoping import AreaScopedQuerySet


class AreaLevel(models.TextChoices):
    CITY = "city", "市"
    DISTRICT = "district", "区/县级市"
    TOWN = "town", "镇/街道"
    COMMUNITY = "community", "村/社区"
    GRID = "grid", "网格"


# Depth in the tree of each level: the tree always starts at the city, so a level fixes the depth,
# and "a grid only under a community" follows from the database check below.
LEVEL_DEPTH = {level: depth for depth, level in enumerate(AreaLevel.values, start=1)}
PATH_STEP = 8  # seven digits of the primary key and a separator per level


class AreaQuerySet(AreaScopedQuerySet):
    area_path_lookup = "path"

    def subtree(self, area, *, include_self=True):
        """Every area under `area` in one indexed prefix query (a materialized path)."""
        qs = self.within(area)
        return qs if include_self else qs.exclude(pk=area.pk)


class Area(models.Model):
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=AreaLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(
        "统计用区划代码",
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", "区划代码应为 12 位数字。")],
        help_text="国家统计局 12 位统计用区划代码；网格等没有代码的可留空。",
    )
    # "0000001/0000007/…": the chain of primary keys from the root. A subtree is one LIKE 'prefix%'.
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False)
    latitude = models.DecimalField(
        "中心点纬度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        "中心点经度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    boundary = models.JSONField("边界 (GeoJSON 多边形)", null=True, blank=True)

    objects = AreaQuerySet.as_manager()
    # path and depth follow from the parent (and move by QuerySet.update): the parent is the record.
    history = StaffEditHistory(excluded_fields=["path", "depth"])

    class Meta:
        verbose_name = "区域"
        verbose_name_plural = "区域"
        ordering = ["path"]
        indexes = [
            # varchar_pattern_ops on PostgreSQL lets LIKE 'prefix%' use the index whatever the collation.
            models.Index(fields=["path"], name="area_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["parent", "name"], name="area_parent_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="area_level_matches_depth",
                condition=Q(
                    *[Q(level=level, depth=depth) for level, depth in LEVEL_DEPTH.items()], _connector=Q.OR
                ),
                violation_error_message="区域层级与其在树中的位置不符（如网格只能设在村/社区之下）。",
            ),
            models.CheckConstraint(
                name="area_root_is_city",
                condition=Q(parent__isnull=True, level=AreaLevel.CITY) | Q(parent__isnull=False),
                violation_error_message="只有“市”可以没有上级区域。",
            ),
            # With area_root_is_city: one root, so "the city" (dashboards, 公示) is always one row.
            models.UniqueConstraint(
                fields=["level"],
                condition=Q(level=AreaLevel.CITY),
                name="area_single_city",
                violation_error_message="只能有一个市级区域。",
            ),
            models.CheckConstraint(
                name="area_latitude_range",
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                violation_error_message="纬度应在 -90 到 90 之间。",
            ),
            models.CheckConstraint(
                name="area_longitude_range",
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                violation_error_message="经度应在 -180 到 180 之间。",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The path holds the primary key, so a new area is written once to get it, then its path;
        # a move rewrites the whole subtree's paths in one UPDATE.
        with transaction.atomic():
            old_path = self.path
            self.depth = self.parent.depth + 1 if self.parent_id else 1
            created = not self.pk
            if created:
                self.path = f"tmp-{id(self)}"
                super().save(*args, **kwargs)
                kwargs = {}
            new_path = self.build_path(self.parent, self.pk)
            if new_path != old_path:
                self.path = new_path
                if old_path and not old_path.startswith("tmp-"):
                    self._move_descendants(old_path, new_path)
            if created:
                # The first write recorded the creation in the history; this one only sets the path.
                self.skip_history_when_saving = True
            try:
                super().save(*args, **kwargs)
            finally:
                self.__dict__.pop("skip_history_when_saving", None)

    def get_absolute_url(self):
        return reverse("sites:area-detail", args=[self.pk])

    @staticmethod
    def build_path(parent, pk):
        return f"{parent.path if parent else ''}{pk:07d}/"

    def _move_descendants(self, old_path, new_path):
        depth_shift = (len(new_path) - len(old_path)) // PATH_STEP
        Area.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_shift,
        )

    def clean(self):
        expected_parent = {
            AreaLevel.DISTRICT: AreaLevel.CITY,
            AreaLevel.TOWN: AreaLevel.DISTRICT,
            AreaLevel.COMMUNITY: AreaLevel.TOWN,
            AreaLevel.GRID: AreaLevel.COMMUNITY,
        }.get(self.level)
        if self.level == AreaLevel.CITY and self.parent_id:
            raise ValidationError({"parent": "“市”不能有上级区域。"})
        if expected_parent and (not self.parent_id or self.parent.level != expected_parent):
            raise ValidationError(
                {"parent": f"{self.get_level_display()}的上级必须是{AreaLevel(expected_parent).label}。"}
            )
        if self.pk and self.parent_id and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": "不能把区域移到它自己的下级之下。"})

    def ancestors(self):
        """The chain from the city down to this area's parent, in one query."""
        pks = [int(step) for step in self.path.strip("/").split("/")[:-1]]
        return Area.objects.filter(pk__in=pks).order_by("depth")

    def is_within(self, other):
        return self.path.startswith(other.path)


class SiteTier(models.TextChoices):
    CENTER = "center", "党群服务中心"
    STATION = "station", "党群服务站"
    POINT = "point", "党群服务点"


class SiteStandard(models.TextChoices):
    BASIC = "basic", "基本标准"
    PIONEER = "pioneer", "先锋标准"


class SiteFunction(models.TextChoices):
    POLITICAL = "political", "政治引领"
    EDUCATION = "education", "宣传教育"
    SERVICE = "service", "党群服务"


class SiteQuerySet(AreaScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_function(self, function):
        return self.filter(**{f"fn_{function}": True})


class Site(models.Model):
    tier = models.CharField("层级", max_length=10, choices=SiteTier.choices, db_index=True)
    area = models.ForeignKey(Area, verbose_name="服务区域", on_delete=models.PROTECT, related_name="sites")
    name = models.CharField("名称", max_length=120, db_index=True)
    address = models.CharField("地址", max_length=200)
    latitude = models.DecimalField(
        "纬度 (WGS-84)",
        max_digits=9,
        decimal_places=6,
        validators=[
            MinValueValidator(-90, "纬度应在 -90 到 90 之间。"),
            MaxValueValidator(90, "纬度应在 -90 到 90 之间。"),
        ],
    )
    longitude = models.DecimalField(
        "经度 (WGS-84)",
        max_digits=9,
        decimal_places=6,
        validators=[
            MinValueValidator(-180, "经度应在 -180 到 180 之间。"),
            MaxValueValidator(180, "经度应在 -180 到 180 之间。"),
        ],
    )
    opening_hours = models.JSONField(
        "开放时间",
        default=OpeningHours.default_json,
        blank=True,
        validators=[validate_opening_hours],
        help_text='按星期填写，如 {"mon": [["09:00", "17:00"]], "sun": []}；空列表表示当天不开放。',
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    floor_area = models.DecimalField(
        "面积 (㎡)", max_digits=8, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # 三大功能: three flags rather than a list so each filter is a plain indexed column on any database.
    fn_political = models.BooleanField("政治引领", default=False)
    fn_education = models.BooleanField("宣传教育", default=False)
    fn_service = models.BooleanField("党群服务", default=False)
    pioneer_batch = models.PositiveSmallIntegerField("先锋阵地批次", null=True, blank=True)
    pioneer_year = models.PositiveSmallIntegerField(
        "命名年份", null=True, blank=True, validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    standard = models.CharField("建设标准", max_length=10, choices=SiteStandard.choices, blank=True)
    photo = models.ImageField("照片", upload_to="sites/", blank=True)
    description = models.TextField("简介", blank=True)
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = SiteQuerySet.as_manager()
    history = StaffEditHistory()

    class Meta:
        verbose_name = "阵地"
        verbose_name_plural = "阵地（中心/站/点）"
        ordering = ["area__path", "tier", "name"]
        indexes = [
            models.Index(fields=["is_active", "tier"], name="site_active_tier_idx"),
            models.Index(fields=["latitude", "longitude"], name="site_lat_lng_idx"),
            models.Index(fields=["pioneer_batch"], name="site_pioneer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="site_latitude_range",
                condition=Q(latitude__gte=-90, latitude__lte=90),
                violation_error_message="纬度应在 -90 到 90 之间。",
            ),
            models.CheckConstraint(
                name="site_longitude_range",
                condition=Q(longitude__gte=-180, longitude__lte=180),
                violation_error_message="经度应在 -180 到 180 之间。",
            ),
            models.UniqueConstraint(
                fields=["area", "name"],
                name="site_unique_name_per_area",
                violation_error_message="同一区域内已有同名阵地，请换一个名称。",
            ),
            models.CheckConstraint(
                name="site_pioneer_year_with_batch",
                condition=Q(pioneer_year__isnull=True) | Q(pioneer_batch__isnull=False),
                violation_error_message="填写命名年份时须同时填写先锋阵地批次。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sites:site-detail", args=[self.pk])

    @property
    def functions(self):
        """The site's 三大功能 as SiteFunction values."""
        return [f for f in SiteFunction if getattr(self, f"fn_{f.value}")]

    @property
    def is_pioneer(self):
        return self.pioneer_batch is not None

    @property
    def hours(self):
        return OpeningHours(self.opening_hours)


class VenueQuerySet(AreaScopedQuerySet):
    area_path_lookup = "site__area__path"

    def bookable(self):
        return self.filter(is_bookable=True, site__is_active=True)


class Venue(models.Model):
    site = models.ForeignKey(Site, verbose_name="所属阵地", on_delete=models.CASCADE, related_name="venues")
    name = models.CharField("名称", max_length=100)
    capacity = models.PositiveIntegerField(
        "容纳人数", validators=[MinValueValidator(1, "容纳人数至少为 1。")]
    )
    facilities = models.CharField("设施", max_length=300, blank=True, help_text="如：投影、音响、电子屏")
    photo = models.ImageField("照片", upload_to="venues/", blank=True)
    is_bookable = models.BooleanField("可预约", default=True)

    objects = VenueQuerySet.as_manager()
    history = StaffEditHistory()

    class Meta:
        verbose_name = "活动室"
        verbose_name_plural = "活动室（场馆）"
        ordering = ["site", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "name"],
                name="venue_unique_name_per_site",
                violation_error_message="同一阵地内活动室名称不能重复。",
            ),
            models.CheckConstraint(
                name="venue_capacity_positive",
                condition=Q(capacity__gte=1),
                violation_error_message="容纳人数至少为 1。",
            ),
        ]

    def __str__(self):
        return f"{self.site.name} · {self.name}"


class ImportKind(models.TextChoices):
    AREAS = "areas", "区域"
    SITES = "sites", "阵地"
    MEMBERS = "members", "党员名册"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "未导入"


class ImportJob(models.Model):
    """An admin upload of areas or sites, run as a task (sites/import_jobs.py): the stored file, how far
    it got, and the all-or-nothing result. Seen only by the staff member who started it."""

    kind = models.CharField("类型", max_length=10, choices=ImportKind.choices)
    # In the private storage: a file of sites or areas may carry phone numbers, and is never served.
    file = models.FileField("文件", upload_to="imports/%Y/%m/", storage=private_storage)
    filename = models.CharField("原文件名", max_length=255)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    done = models.PositiveIntegerField("已处理行数", default=0)
    total = models.PositiveIntegerField("总行数", default=0)
    result = models.JSONField("结果", default=dict, blank=True, help_text="新增、更新条数")
    errors = models.JSONField("错误", default=list, blank=True, help_text="[{line, message}]，每个错误行一条")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.CASCADE, related_name="import_jobs"
    )
    created_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入任务"
        indexes = [models.Index(fields=["created_by", "-created_at"], name="importjob_by_user")]

    def __str__(self):
        return f"{self.get_kind_display()}导入 #{self.pk}（{self.filename}）"

    @property
    def finished(self):
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
