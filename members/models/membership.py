"""A party member's dated relations: 组织关系 (Membership) and 在职党员报到 (CommunityReporting), and
the log of who read members' personal data (PersonalDataAccess).

Each dated relation keeps its history: a move or an end closes the row (`until`) and a new one opens;
one active row per member is a partial unique index. They are written only by members/roster.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from sites.append_only import AppendOnlyModel
from sites.models import Area, AreaLevel
from sites.scoping import AreaScopedQuerySet

from .people import Member


class MembershipQuerySet(AreaScopedQuerySet):
    area_path_lookup = "organization__area__path"

    def active(self):
        return self.filter(until__isnull=True)


class Membership(models.Model):
    """组织关系: which organisation (and 党小组 in it) held a member's relation, from when to when."""

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name="党组织",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    group = models.ForeignKey(
        "members.Organization",
        verbose_name="党小组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_memberships",
    )
    since = models.DateField("转入日期")
    until = models.DateField("转出日期", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "组织关系"
        verbose_name_plural = "组织关系"
        ordering = ["member", "-since"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(until__isnull=True),
                name="membership_one_active",
                violation_error_message="一名党员同时只能有一处组织关系。",
            ),
            models.CheckConstraint(
                name="membership_until_after_since",
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                violation_error_message="转出日期不能早于转入日期。",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.organization}"


class CommunityReportingQuerySet(AreaScopedQuerySet):
    area_path_lookup = "community__path"

    def active(self):
        return self.filter(until__isnull=True)

    def visible_to(self, user):
        """The community's staff see who reported to it; the staff over a member's own organisation
        (their workplace branch) see where its members serve."""
        path = getattr(user, "scope_path", None)
        if path is None:
            return self.none()
        # Through id lists, as MemberQuerySet does, so each side uses its index (community, member).
        return self.filter(
            Q(community__in=Area.objects.filter(path__startswith=path).values("pk"))
            | Q(member__in=Member.objects.visible_to(user).values("pk"))
        )

    def seen_by(self, user):
        """What `user` may read: visible_to's, and a member's own reportings (a 党员 with a login)."""
        if not user.is_authenticated:
            return self.none()
        # Through the member's id, as visible_to: a join to the member in the OR read every reporting
        # of the city (PostgreSQL, city data: 516 ms a page, 234 ms this way).
        return self.visible_to(user) | self.filter(member__in=Member.objects.filter(user=user).values("pk"))

    def on_side(self, user, side):
        """The staff list's 范围: "here", reported to a community in `user`'s area; "ours", members of
        an organisation in it (wherever they serve); anything else, both."""
        path = getattr(user, "scope_path", None) or ""
        if side == "here":
            return self.filter(community__path__startswith=path)
        if side == "ours":
            return self.filter(member__organization__area__path__startswith=path)
        return self


class CommunityReporting(models.Model):
    """在职党员到社区报到: the residential community a member reported to and the grid they serve."""

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="reportings"
    )
    community = models.ForeignKey(
        Area,
        verbose_name="报到社区",
        on_delete=models.PROTECT,
        related_name="member_reportings",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    grid = models.ForeignKey(
        Area,
        verbose_name="服务网格",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grid_reportings",
        limit_choices_to={"level": AreaLevel.GRID},
    )
    since = models.DateField("报到日期")
    until = models.DateField("结束日期", null=True, blank=True)

    objects = CommunityReportingQuerySet.as_manager()

    class Meta:
        verbose_name = "在职党员报到"
        verbose_name_plural = "在职党员报到"
        ordering = ["community", "-since"]
        indexes = [models.Index(fields=["community", "until"], name="reporting_community_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(until__isnull=True),
                name="reporting_one_active",
                violation_error_message="该党员已在一个社区报到，请先结束原报到。",
            ),
            models.CheckConstraint(
                name="reporting_until_after_since",
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                violation_error_message="结束日期不能早于报到日期。",
            ),
        ]

    def __str__(self):
        return f"{self.member} → {self.community}"


class AccessKind(models.TextChoices):
    EXPORT = "export", "导出"
    UNMASKED_VIEW = "unmasked_view", "查看完整信息"


class PersonalDataAccess(AppendOnlyModel):
    """Who read members' personal data in full, when, and which: every export and every unmasked view.

    Append-only in the database (migration), so no one can wipe their own traces; superusers read it
    in the admin. `filters` names the selection (an export: the scope and the filters used); `member_ids`
    the rows for a view of single records; `count` how many members were disclosed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        related_name="personal_data_accesses",
    )
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    kind = models.CharField("操作", max_length=20, choices=AccessKind.choices)
    what = models.CharField("内容", max_length=200)
    filters = models.JSONField("筛选条件", default=dict, blank=True)
    member_ids = models.JSONField("党员编号", default=list, blank=True)
    count = models.PositiveIntegerField("人数")

    class Meta:
        verbose_name = "个人信息访问记录"
        verbose_name_plural = "个人信息访问记录"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()} {self.what}（{self.count} 人）"
