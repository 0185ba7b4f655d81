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


class RewardQuerySet(AreaScopedQuerySet):
    # A reward belongs to the unit that offers it, and is placed where the unit is.
    area_path_lookup = "organization__area__path"

    def offered(self):
        return self.filter(active=True)


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
                name="reward_price_positive",
                condition=Q(price__gt=0),
                violation_error_message="所需积分须大于零。",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.price}分）"


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
