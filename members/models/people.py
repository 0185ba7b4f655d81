"""People who serve: party members (Member) and volunteers (Volunteer).

These are the shared core the roster, the 在职党员报到 and the points ledger build on; their dated
relations (organisation membership, reporting to a community) live beside them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from sites.history import StaffEditHistory
from sites.models import Area, AreaLevel
from sites.scoping import AreaScopedQuerySet

from .accounts import mask_phone, phone_validator
from .organizations import Organization


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


class MemberQuerySet(AreaScopedQuerySet):
    """A member is placed by the organisation that holds their 组织关系.

    Narrowed through the organisations' ids (`organization_id IN (…)`), not a join on the area's path:
    with the path test in a join, SQLite's planner may probe all 560,000 members before it tests the
    area (a street's roster took 200 ms to 5 s); the list of a street's few hundred organisations is
    read first and the members come through their index.
    """

    area_path_lookup = "organization__area__path"

    def within(self, area):
        return self.filter(organization__in=Organization.objects.within(area).values("pk"))

    def visible_to(self, user):
        if getattr(user, "scope_path", None) is None:
            return self.none()
        return self.filter(organization__in=Organization.objects.visible_to(user).values("pk"))


class Member(models.Model):
    """党员. No 身份证号 in clear (PIPL minimum collection): a keyed hash to match duplicates across
    imports, and the last four characters to show."""

    name = models.CharField("姓名", max_length=50, db_index=True)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField("出生年份", null=True, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True, validators=[phone_validator])
    id_number_hash = models.CharField("身份证号指纹", max_length=64, blank=True, editable=False)
    id_number_last4 = models.CharField("身份证号后四位", max_length=4, blank=True, editable=False)
    status = models.CharField("党员状态", max_length=20, choices=MemberStatus.choices)
    joined_on = models.DateField("入党日期", null=True, blank=True)
    confirmed_on = models.DateField("转正日期", null=True, blank=True)
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name="组织关系所在党组织",
        on_delete=models.PROTECT,
        related_name="members",
    )
    group = models.ForeignKey(
        "members.Organization",
        verbose_name="党小组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_members",
        limit_choices_to={"kind": "group"},
    )
    workplace = models.CharField("工作单位及职务", max_length=150, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )

    objects = MemberQuerySet.as_manager()
    history = StaffEditHistory()

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        ordering = ["organization", "name"]
        # The roster lists an organisation's members by name. No index on status: 96% are 正式党员,
        # and with one SQLite read the whole table through it for a street's 正式党员 (5 s).
        indexes = [models.Index(fields=["organization", "name"], name="member_org_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="member_unique_id_number",
                violation_error_message="该身份证号的党员已登记。",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_id_number(self):
        """The only form a 身份证号 is ever shown in: the last four after 14 stars."""
        return f"{'*' * 14}{self.id_number_last4}" if self.id_number_last4 else ""


class VolunteerQuerySet(AreaScopedQuerySet):
    area_path_lookup = "community__path"


class Volunteer(models.Model):
    """志愿者: a resident or a party member (linked when they are one) serving in a community."""

    name = models.CharField("姓名", max_length=50, db_index=True)
    phone = models.CharField("手机号", max_length=20, validators=[phone_validator])
    community = models.ForeignKey(
        Area,
        verbose_name="服务社区",
        on_delete=models.PROTECT,
        related_name="volunteers",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    member = models.OneToOneField(
        Member,
        verbose_name="党员身份",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
    )
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)
    # The balance: moved only by members/points.py with its ledger entry; reconcile sums the entries.
    points = models.PositiveIntegerField("积分余额", default=0, editable=False)

    objects = VolunteerQuerySet.as_manager()
    history = StaffEditHistory()

    class Meta:
        verbose_name = "志愿者"
        verbose_name_plural = "志愿者"
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                name="volunteer_unique_phone",
                violation_error_message="该手机号已登记为志愿者。",
            ),
            models.CheckConstraint(
                name="volunteer_points_not_negative",
                condition=Q(points__gte=0),
                violation_error_message="积分余额不能为负数。",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.community_id and self.community.level != AreaLevel.COMMUNITY:
            raise ValidationError({"community": "志愿者的服务区域应为村/社区。"})

    @property
    def masked_phone(self):
        return mask_phone(self.phone)
