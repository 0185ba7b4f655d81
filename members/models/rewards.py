"""Rewards (兑换项) offered by co-building units, and a volunteer's redemption (积分兑换) of one.

Stock and points move only through members/rewards.py, with the ledger entry in the same transaction.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from sites.scoping import AreaScopedQuerySet

from .points import VolunteerOwnedQuerySet

MAX_STOCK = 1_000_000


class Nearness(models.IntegerChoices):
    """How near a reward's unit is to a volunteer's community: the catalogue's 离我最近 order."""

    COMMUNITY = 0, "本社区"
    STREET = 1, "本街道"
    DISTRICT = 2, "本区"
    ELSEWHERE = 3, "其他地区"


# Area paths are fixed-width segments, one per level (sites.models.Area.build_path: "%07d/").
_SEGMENT = 8


def _paths_around(community):
    """The path prefixes of the community, its street and its district, nearest first."""
    return [community.path[: len(community.path) - _SEGMENT * up] for up in range(3)]


class RewardQuerySet(AreaScopedQuerySet):
    # A reward belongs to the unit that offers it, and is placed where the unit is.
    area_path_lookup = "organization__area__path"

    def offered(self):
        return self.filter(active=True)

    def nearest_to(self, community):
        """Annotated with `nearness` (Nearness) to `community` and ordered by it, then cheapest first:
        one CASE over the unit's area path, no join beyond the unit's area."""
        nearness = models.Case(
            *(
                models.When(organization__area__path__startswith=path, then=models.Value(level))
                for level, path in zip(Nearness.values, _paths_around(community), strict=False)
            ),
            default=models.Value(Nearness.ELSEWHERE),
            output_field=models.IntegerField(),
        )
        return self.annotate(nearness=nearness).order_by("nearness", "price", "name", "pk")

    def within(self, community, nearness):
        """Only the rewards offered in `community` (Nearness.COMMUNITY), or in its street (STREET)."""
        return self.filter(organization__area__path__startswith=_paths_around(community)[nearness])


class Reward(models.Model):
    organization = models.ForeignKey(
        "members.Organization", verbose_name="提供单位", on_delete=models.PROTECT, related_name="rewards"
    )
    name = models.CharField("兑换项", max_length=100)
    description = models.CharField("说明", max_length=300, blank=True)
    price = models.PositiveIntegerField(
        "所需积分", validators=[MaxValueValidator(1_000_000, "所需积分不能超过 1000000。")]
    )
    stock = models.PositiveIntegerField(
        "库存", default=0, validators=[MaxValueValidator(MAX_STOCK, f"库存不能超过 {MAX_STOCK}。")]
    )
    active = models.BooleanField("上架", default=True)
    # Everything ever put on offer: the first stock and every restock (members/rewards.py: restock adds
    # to both). `reconcile` checks stock = stocked − the redemptions that hold one (reserved, handed over).
    stocked = models.PositiveIntegerField("累计入库", default=0, editable=False)

    objects = RewardQuerySet.as_manager()

    class Meta:
        verbose_name = "兑换项"
        verbose_name_plural = "兑换项"
        ordering = ["price", "name"]
        constraints = [
            models.CheckConstraint(
                name="reward_stock_not_negative",
                condition=Q(stock__gte=0),
                violation_error_message="库存不能为负数。",
            ),
            models.CheckConstraint(
                name="reward_stock_within_stocked",
                condition=Q(stock__lte=models.F("stocked")),
                violation_error_message="库存不能超过累计入库数量。",
            ),
            models.CheckConstraint(
                name="reward_price_positive",
                condition=Q(price__gt=0),
                violation_error_message="所需积分须大于零。",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.price}分）"

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.stocked = self.stock  # the first stock put on offer; later only restock adds
        super().save(*args, **kwargs)

    @property
    def nearness_label(self):
        """本社区 / 本街道 / 本区 for a reward annotated by nearest_to, nothing when farther or unknown."""
        near = getattr(self, "nearness", None)
        return Nearness(near).label if near is not None and near < Nearness.ELSEWHERE else ""


class RedemptionStatus(models.TextChoices):
    RESERVED = "reserved", "已预留"
    HANDED_OVER = "handed_over", "已领取"
    CANCELLED = "cancelled", "已取消"
    EXPIRED = "expired", "已过期"


class RedemptionQuerySet(VolunteerOwnedQuerySet):
    """Also seen by the offering unit's accounts and the staff of its area: they hand rewards over."""

    def visible_to(self, user):
        seen = super().visible_to(user)
        if not user.is_authenticated:
            return seen
        return seen | self.for_handing_over(user)

    def for_handing_over(self, user):
        """What `user` may hand over (members/rewards.py: may_hand_over), as a query."""
        mine = Q(reward__organization=user.organization_id) if user.organization_id else Q(pk__in=[])
        if user.scope_path is not None:
            mine |= Q(reward__organization__area__path__startswith=user.scope_path)
        return self.filter(mine)

    def expiring(self, now):
        return self.filter(status=RedemptionStatus.RESERVED, expires_at__lt=now)


class Redemption(models.Model):
    """A volunteer's request for a reward: reserved at once when it fits (points held, stock taken),
    then handed over by the unit, or cancelled or expired with both given back."""

    volunteer = models.ForeignKey(
        "members.Volunteer", verbose_name="志愿者", on_delete=models.PROTECT, related_name="redemptions"
    )
    reward = models.ForeignKey(
        Reward, verbose_name="兑换项", on_delete=models.PROTECT, related_name="redemptions"
    )
    points = models.PositiveIntegerField("使用积分", help_text="申请时的所需积分。")
    status = models.CharField(
        "状态", max_length=20, choices=RedemptionStatus.choices, default=RedemptionStatus.RESERVED
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    expires_at = models.DateTimeField("领取截止")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RedemptionQuerySet.as_manager()

    class Meta:
        verbose_name = "积分兑换"
        verbose_name_plural = "积分兑换"
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["volunteer", "-requested_at"], name="redemption_volunteer_idx"),
            models.Index(fields=["status", "expires_at"], name="redemption_status_idx"),
        ]

    def __str__(self):
        return f"{self.volunteer} 兑换 {self.reward.name}"

    @property
    def is_open(self):
        return self.status == RedemptionStatus.RESERVED
