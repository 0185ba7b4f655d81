"""The co-building units' yearly indicators (共驻共建单位年度指标): the yearly agreement (挂包联系), the
indicators themselves as data, their yearly targets, and the hardship households a unit is linked with.

Nothing here stores whether a unit met an indicator: services/indicators.py counts the records (党课
given, households linked, claims accepted) at query time for any year, so no job can leave a stale flag.
A `HardshipLink` names a household the community chose: its details are personal data, shown in full
only to that community's staff (`may_see_household`); it is written only by services/hardship.py.
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from members.models import Organization, Role, mask_phone, phone_validator
from members.models.points import DATE_VALIDATORS
from sites.history import StaffEditHistory
from sites.models import Area, AreaLevel
from sites.scoping import AreaScopedQuerySet

MIN_YEAR, MAX_YEAR = 2000, 2100
YEAR_VALIDATORS = [
    MinValueValidator(MIN_YEAR, f"年度应在 {MIN_YEAR} 到 {MAX_YEAR} 之间。"),
    MaxValueValidator(MAX_YEAR, f"年度应在 {MIN_YEAR} 到 {MAX_YEAR} 之间。"),
]
TARGET_VALIDATORS = [
    MinValueValidator(1, "指标数至少为 1。"),
    MaxValueValidator(1000, "指标数不能超过 1000。"),
]


class Measure(models.TextChoices):
    """What an indicator counts; services/indicators.py holds the one query for each."""

    LECTURES = "lectures", "到社区上党课（已召开的党课，授课单位为本单位，在挂包街道的社区召开）"
    HARDSHIP_HOUSEHOLDS = "hardship_households", "挂钩联系的生活困难群众（当年在联系中的户数）"
    CLAIMED_PROJECTS = "claimed_projects", "认领的服务项目（当年认领并经社区确认的认领）"


class Indicator(models.Model):
    """One yearly indicator: "at least `at_least` `unit` of `measure` a year"; a year may set its own N."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("指标名称", max_length=100)
    measure = models.CharField("统计内容", max_length=30, choices=Measure.choices)
    at_least = models.PositiveSmallIntegerField(
        "每年不少于", default=1, validators=TARGET_VALIDATORS, help_text="某年另有要求时在下方按年度填写。"
    )
    unit = models.CharField("计量单位", max_length=10, help_text="如：次、家、个。")
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    history = StaffEditHistory()

    class Meta:
        verbose_name = "年度指标"
        verbose_name_plural = "年度指标"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="indicator_at_least_positive",
                condition=Q(at_least__gte=1),
                violation_error_message="指标数至少为 1。",
            ),
        ]

    def __str__(self):
        return self.name


class IndicatorTarget(models.Model):
    """A year's own N for an indicator (staff change it per year); other years keep the default."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    at_least = models.PositiveSmallIntegerField("每年不少于", validators=TARGET_VALIDATORS)

    history = StaffEditHistory()

    class Meta:
        verbose_name = "年度指标要求"
        verbose_name_plural = "年度指标要求"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="indicator_target_one_per_year",
                violation_error_message="该指标这一年已有要求。",
            ),
            models.CheckConstraint(
                name="indicator_target_positive",
                condition=Q(at_least__gte=1),
                violation_error_message="指标数至少为 1。",
            ),
        ]

    def __str__(self):
        return f"{self.year} 年 {self.indicator.name}：不少于 {self.at_least}{self.indicator.unit}"


class AgreementQuerySet(AreaScopedQuerySet):
    area_path_lookup = "street__path"


class CobuildingAgreement(models.Model):
    """挂包联系: a unit's agreement with its street for one year (one per unit per year)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="共建单位",
        on_delete=models.PROTECT,
        related_name="agreements",
        limit_choices_to={"paired_street__isnull": False},
    )
    street = models.ForeignKey(
        Area,
        verbose_name="挂包联系街道",
        on_delete=models.PROTECT,
        related_name="agreements",
        limit_choices_to={"level": AreaLevel.TOWN},
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    signed_on = models.DateField("签订日期", validators=DATE_VALIDATORS)
    note = models.CharField("备注", max_length=300, blank=True)

    objects = AgreementQuerySet.as_manager()
    history = StaffEditHistory()

    class Meta:
        verbose_name = "挂包联系协议"
        verbose_name_plural = "挂包联系协议"
        ordering = ["-year", "street__path"]
        indexes = [models.Index(fields=["street", "year"], name="agreement_street_year_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="agreement_one_per_unit_year",
                violation_error_message="该单位这一年已有挂包联系协议。",
            ),
            models.CheckConstraint(
                name="agreement_year_in_range",
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                violation_error_message=f"年度应在 {MIN_YEAR} 到 {MAX_YEAR} 之间。",
            ),
        ]

    def __str__(self):
        return f"{self.year} 年 {self.organization} 挂包联系 {self.street}"


class HardshipLinkQuerySet(AreaScopedQuerySet):
    area_path_lookup = "community__path"

    def active_in(self, year):
        """Links that ran on some day of `year`: started by its end, not ended before its start."""
        return self.filter(started_on__lte=dt.date(year, 12, 31)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=dt.date(year, 1, 1))
        )


class HardshipLink(models.Model):
    """挂钩联系生活困难群众: a unit linked with one household its community names, from a date."""

    organization = models.ForeignKey(
        Organization, verbose_name="共建单位", on_delete=models.PROTECT, related_name="hardship_links"
    )
    community = models.ForeignKey(
        Area,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="hardship_links",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    household_name = models.CharField("户主姓名", max_length=50)
    address = models.CharField("住址", max_length=150)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[phone_validator])
    situation = models.CharField("困难情况", max_length=300)
    started_on = models.DateField("开始联系日期", validators=DATE_VALIDATORS)
    ended_on = models.DateField("结束联系日期", null=True, blank=True, validators=DATE_VALIDATORS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = HardshipLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "挂钩联系困难群众"
        verbose_name_plural = "挂钩联系困难群众"
        ordering = ["-started_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "started_on"], name="hardship_org_started_idx"),
            models.Index(fields=["community", "started_on"], name="hardship_community_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="hardship_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                violation_error_message="结束联系日期不能早于开始日期。",
            ),
            models.UniqueConstraint(
                fields=["organization", "community", "household_name", "address"],
                condition=Q(ended_on__isnull=True),
                name="hardship_one_live_per_household",
                violation_error_message="该单位已在联系这户困难群众。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} 联系 {self.community} 一户困难群众"

    def may_see_household(self, user):
        """The household's details are for its community's staff only (and superusers)."""
        return bool(getattr(user, "is_authenticated", False)) and user.acts_as(
            Role.COMMUNITY_STAFF, self.community
        )

    def household_for(self, user):
        """(name, address, phone, situation) in full for the community's staff, masked for anyone else."""
        if self.may_see_household(user):
            return self.household_name, self.address, self.phone, self.situation
        return (
            self.household_name[:1] + "*" * max(len(self.household_name) - 1, 1),
            self.address[:3] + "****",
            mask_phone(self.phone),
            "（仅本社区工作人员可见）",
        )
