"""积分兑换: a volunteer redeems a reward; the offering unit hands it over, or it is cancelled or expires.

Reserving holds the points (a redeem entry) and takes one from the stock in one transaction, each by a
conditional UPDATE that only matches while it still fits; giving back (cancel, expiry) posts a reverse
entry and returns the stock. Locks follow members/service_records.py's order: the redemption, then the
volunteer, then the reward.

Who hands a reward over (the unit's staff): an active account whose organisation is the offering unit,
or staff who manage the area the unit lies in (so a community can hand over on a unit's behalf).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .errors import Refusal
from .models import EntryKind, Nearness, PointsEntry, Redemption, RedemptionStatus, Reward, Volunteer
from .models.rewards import MAX_STOCK
from .points import post_entry

# The catalogue's 范围 filter (page and API): its value → how near the unit must be.
WITHIN = {"community": Nearness.COMMUNITY, "street": Nearness.STREET}
WITHIN_CHOICES = [("", "全部"), ("community", "本社区"), ("street", "本街道")]


def catalogue(*, volunteer=None, within=""):
    """The rewards on offer: for a volunteer 离我最近 first (their community's units, their street's,
    their district's, then the rest), cheapest first within each, and narrowed to their community or
    street by `within`; for anyone else cheapest first."""
    offered = Reward.objects.offered().select_related("organization")
    if volunteer is None:
        return offered.order_by("price", "name", "pk")
    offered = offered.nearest_to(volunteer.community)
    return offered.within(volunteer.community, WITHIN[within]) if within else offered


def hold_days():
    return settings.REDEMPTION_HOLD_DAYS


def may_hand_over(user, reward):
    if not (user.is_authenticated and user.is_active):
        return False
    return user.organization_id == reward.organization_id or user.can_manage(reward.organization.area)


def request_redemption(*, volunteer, reward, by):
    """The volunteer asks for `reward`: reserved at once if their points and the stock allow."""
    if by.pk != volunteer.user_id:
        raise Refusal("只能用自己的积分兑换。", kind=Refusal.FORBIDDEN)
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        reward = Reward.objects.get(pk=reward.pk)
        if not reward.active:
            raise Refusal(f"“{reward.name}”已下架，不能兑换。")
        if volunteer.points < reward.price:
            raise Refusal(
                f"积分不足：“{reward.name}”需要 {reward.price} 分，当前余额 {volunteer.points} 分。"
            )
        if not Reward.objects.filter(pk=reward.pk, active=True, stock__gte=1).update(stock=F("stock") - 1):
            raise Refusal(f"“{reward.name}”已兑完，请选择其他兑换项。")
        redemption = Redemption.objects.create(
            volunteer=volunteer,
            reward=reward,
            points=reward.price,
            expires_at=timezone.now() + datetime.timedelta(days=hold_days()),
        )
        post_entry(
            volunteer=volunteer,
            kind=EntryKind.REDEEM,
            amount=-reward.price,
            source=f"redemption:{redemption.pk}:hold",
            by=by,
            redemption=redemption,
            note=reward.name[:200],
        )
    return redemption


def _locked_open(redemption):
    redemption = (
        Redemption.objects.select_for_update(of=("self",))
        .select_related("reward__organization__area", "volunteer")
        .get(pk=redemption.pk)
    )
    if not redemption.is_open:
        raise Refusal(f"这项兑换已{redemption.get_status_display()}，不能再办理。")
    return redemption


def hand_over(*, redemption, by):
    """The unit's staff confirm the volunteer has received the reward: the held points are spent."""
    with transaction.atomic():
        redemption = _locked_open(redemption)
        if not may_hand_over(by, redemption.reward):
            raise Refusal("只有提供该兑换项的单位或所在区域的工作人员可以确认领取。", kind=Refusal.FORBIDDEN)
        _close(redemption, RedemptionStatus.HANDED_OVER, by)
    return redemption


def cancel_redemption(*, redemption, by):
    """The volunteer withdraws, or the unit can't provide it: points and stock go back."""
    with transaction.atomic():
        redemption = _locked_open(redemption)
        if by.pk != redemption.volunteer.user_id and not may_hand_over(by, redemption.reward):
            raise Refusal("只有兑换的志愿者本人或提供单位可以取消。", kind=Refusal.FORBIDDEN)
        _give_back(redemption, by, note="取消兑换")
        _close(redemption, RedemptionStatus.CANCELLED, by)
    return redemption


def expire_redemptions(*, now=None):
    """Reservations not collected by their deadline expire, points and stock returned; idempotent
    (a periodic job may call it as often as it likes). Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    for pk in Redemption.objects.expiring(now).values_list("pk", flat=True).iterator():
        with transaction.atomic():
            try:
                redemption = _locked_open(Redemption(pk=pk))
            except Refusal:
                continue  # handed over or cancelled meanwhile
            _give_back(redemption, None, note="逾期未领取")
            _close(redemption, RedemptionStatus.EXPIRED, None)
            expired += 1
    return expired


def _give_back(redemption, by, *, note):
    Volunteer.objects.select_for_update().get(pk=redemption.volunteer_id)
    hold = PointsEntry.objects.get(source=f"redemption:{redemption.pk}:hold")
    post_entry(
        volunteer=redemption.volunteer,
        kind=EntryKind.REVERSE,
        amount=-hold.amount,
        source=f"reverse:{hold.pk}",
        by=by,
        note=note,
        reverses=hold,
        redemption=redemption,
    )
    Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + 1)


def _close(redemption, status, by):
    redemption.status, redemption.closed_at, redemption.closed_by = status, timezone.now(), by
    redemption.save(update_fields=["status", "closed_at", "closed_by"])


def may_manage_rewards(user, organization):
    """Staff of the area the unit lies in put its rewards on offer and restock them."""
    return user.is_authenticated and user.can_manage(organization.area)


def restock(*, reward, by, quantity):
    """补充库存: add to the stock with one UPDATE, so redemptions under way are never overwritten."""
    if quantity <= 0:
        raise Refusal("补充数量须大于零。", kind=Refusal.INVALID)
    if not may_manage_rewards(by, reward.organization):
        raise Refusal("只有提供单位所在区域的工作人员可以补充库存。", kind=Refusal.FORBIDDEN)
    if not Reward.objects.filter(pk=reward.pk, stock__lte=MAX_STOCK - quantity).update(
        stock=F("stock") + quantity, stocked=F("stocked") + quantity
    ):
        raise Refusal(f"补充后库存将超过 {MAX_STOCK}，请减少补充数量。", kind=Refusal.INVALID)
