"""Points balances and reward stock recomputed from their rows, for `manage.py reconcile`.

- a volunteer's points = the sum of their ledger entries (members/points.py writes both together);
- a redemption that is reserved or handed over holds its points: its entries sum to −points; one that
  was cancelled or expired has been given back: its entries sum to zero;
- a reward's stock = all it was ever stocked with (`stocked`: the first stock and the restocks) − its
  redemptions that hold one (reserved or handed over); a cancelled or expired one gave its item back;
- a community's month of 获得 points (PointsMonth) = the earn entries of that month (Asia/Shanghai) of
  the volunteers who serve there now.

Each check is one GROUP BY query (the months: one more, for the stored rows), whatever the number of
volunteers.
"""

from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce

from sites.reconcile import Difference, register

from .models import PointsEntry, PointsMonth, Redemption, RedemptionStatus, Reward, Volunteer
from .points import earned_by_month

ZERO = Value(0, output_field=IntegerField())
HOLDING = (RedemptionStatus.RESERVED, RedemptionStatus.HANDED_OVER)


@register("members.points_balance", label="志愿者积分余额")
def points_balance():
    volunteers = (
        Volunteer.objects.annotate(computed=Coalesce(Sum("points_entries__amount"), ZERO))
        .exclude(points=F("computed"))
        .order_by("pk")
    )
    for volunteer in volunteers:
        yield Difference(
            record=f"志愿者“{volunteer.name}”（#{volunteer.pk}）",
            counter="积分余额",
            stored=volunteer.points,
            computed=volunteer.computed,
        )


@register("members.redemption_holds", label="积分兑换的积分占用")
def redemption_holds():
    held = Q(status__in=HOLDING)
    redemptions = (
        Redemption.objects.annotate(computed=Coalesce(Sum("entries__amount"), ZERO))
        .filter((held & ~Q(computed=-F("points"))) | (~held & ~Q(computed=0)))
        .select_related("volunteer")
        .order_by("pk")
    )
    for redemption in redemptions:
        expected = -redemption.points if redemption.status in HOLDING else 0
        yield Difference(
            record=f"“{redemption.volunteer.name}”的兑换（#{redemption.pk}，{redemption.get_status_display()}）",
            counter="积分流水合计",
            stored=redemption.computed,
            computed=expected,
        )


@register("members.reward_stock", label="兑换项库存")
def reward_stock():
    rewards = (
        Reward.objects.annotate(held=Count("redemptions", filter=Q(redemptions__status__in=HOLDING)))
        .exclude(stock=F("stocked") - F("held"))
        .order_by("pk")
    )
    for reward in rewards:
        yield Difference(
            record=f"兑换项“{reward.name}”（#{reward.pk}）",
            counter="库存",
            stored=reward.stock,
            computed=reward.stocked - reward.held,
        )


@register("members.points_months", label="社区月度获得积分")
def points_months():
    computed = earned_by_month(PointsEntry.objects.all())
    stored = {(row.community_id, row.month): row for row in PointsMonth.objects.select_related("community")}
    for key in sorted(set(computed) | set(stored), key=lambda k: (k[0], k[1])):
        row = stored.get(key)
        if (row.earned if row else 0) != computed.get(key, 0):
            name = row.community.name if row else f"社区 #{key[0]}"
            yield Difference(
                record=f"{name} {key[1]:%Y年%m月}的获得积分",
                counter="获得积分",
                stored=row.earned if row else None,
                computed=computed.get(key, 0),
            )
