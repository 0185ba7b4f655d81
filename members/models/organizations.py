"""Party organisations and co-building units (Organization)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from sites.history import StaffEditHistory
from sites.models import Area, AreaLevel, Site
from sites.scoping import AreaScopedQuerySet

from .accounts import phone_validator


class OrganizationKind(models.TextChoices):
    COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"


class Sector(models.TextChoices):
    GOVERNMENT = "government", "机关"
    STATE_OWNED = "state_owned", "国企"
    PUBLIC_INSTITUTION = "public_institution", "事业单位"
    SCHOOL = "school", "学校"
    HOSPITAL = "hospital", "医院"
    NEW_ORGANIZATION = "new_organization", "两新组织"
    COMMUNITY = "community", "村/社区"


class OrganizationQuerySet(AreaScopedQuerySet):
    def cobuilding(self):
        return self.filter(paired_street__isnull=False)


class Organization(models.Model):
    name = models.CharField("名称", max_length=150, db_index=True)
    kind = models.CharField("党组织类型", max_length=20, choices=OrganizationKind.choices)
    sector = models.CharField("单位类别", max_length=20, choices=Sector.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    area = models.ForeignKey(
        Area, verbose_name="所在区域", on_delete=models.PROTECT, related_name="organizations"
    )
    paired_street = models.ForeignKey(
        Area,
        verbose_name="挂包联系街道",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="paired_units",
        limit_choices_to={"level": AreaLevel.TOWN},
        help_text="共驻共建单位所挂包联系的镇/街道。",
    )
    sites = models.ManyToManyField(Site, verbose_name="承办阵地", blank=True, related_name="organizations")
    secretary = models.CharField("书记", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[phone_validator])

    objects = OrganizationQuerySet.as_manager()
    history = StaffEditHistory()

    class Meta:
        verbose_name = "党组织/共建单位"
        verbose_name_plural = "党组织/共建单位"
        ordering = ["area__path", "name"]
        indexes = [models.Index(fields=["kind", "sector"], name="org_kind_sector_idx")]
        constraints = [
            models.CheckConstraint(
                name="org_paired_street_needs_sector",
                condition=Q(paired_street__isnull=True) | ~Q(sector=""),
                violation_error_message="挂包联系街道的共建单位须填写单位类别。",
            ),
            models.CheckConstraint(
                name="org_not_own_parent",
                condition=~Q(parent=models.F("pk")),
                violation_error_message="党组织不能是自己的上级。",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.paired_street_id and self.paired_street.level != AreaLevel.TOWN:
            raise ValidationError({"paired_street": "挂包联系的应是镇/街道。"})
        rank = list(OrganizationKind.values)
        if self.parent_id and rank.index(self.parent.kind) >= rank.index(self.kind):
            raise ValidationError({"parent": f"{self.get_kind_display()}的上级应是更高一级的党组织。"})

    @property
    def is_cobuilding(self):
        return self.paired_street_id is not None
