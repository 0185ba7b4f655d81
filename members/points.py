"""The points ledger's one write path: every move of a balance is an entry, in the same transaction.

`post_entry` inserts the entry first (its unique `source` makes a second posting of the same thing a
no-op), then moves `Volunteer.points` with ONE conditional UPDATE that only matches while the balance
stays ≥ 0. Under concurrency PostgreSQL re-checks that WHERE on the row the previous writer committed,
so no interleaving can overdraw; the CHECK on the column catches anything that slips past, and
`manage.py reconcile` (members/reconcile.py) recomputes every balance from its entries.

Rules change by new versions (`revise_rule`): points already posted name the version they were given
under and keep their amount.

An earn also adds to its community's month in `PointsMonth` (the area dashboard's 获得积分), in the same
transaction: the balance UPDATE matches only while the volunteer is still in the community the roll-up
is credited to, so a concurrent `move_volunteer` (which locks the volunteer's row and carries their
months across) can never leave a month behind in the old community.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import DateField, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .errors import Refusal
from .models import EntryKind, PointRule, PointsEntry, PointsMonth, Volunteer


def post_entry(*, volunteer, kind, amount, source, by=None, note="", **links):
    """Append one entry and move the balance by `amount`; the caller holds a transaction.

    Returns the new entry, or None when `source` was already posted (nothing changes then). Refuses
    (Refusal, conflict) an amount that would take the balance below zero.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("post_entry must run inside the caller's transaction")
    try:
        with transaction.atomic():
            entry = PointsEntry.objects.create(
                volunteer=volunteer, kind=kind, amount=amount, source=source, by=by, note=note, **links
            )
    except IntegrityError:
        if PointsEntry.objects.filter(source=source).exists():
            return None
        raise
    while not Volunteer.objects.filter(
        pk=volunteer.pk, community=volunteer.community_id, points__gte=-amount
    ).update(points=F("points") + amount):
        # The UPDATE missed: the balance is short, or a move changed the community (the statement's
        # snapshot may even predate a move back, so an unchanged community proves nothing). Read the row
        # locked, as the UPDATE would: no move comes between this read and the next try, which therefore
        # succeeds unless the balance really is short.
        locked = Volunteer.objects.select_for_update(no_key=True).values_list("points", "community")
        balance, community = locked.get(pk=volunteer.pk)
        if balance < -amount:
            raise Refusal(f"积分不足：当前余额 {balance} 分，需要 {-amount} 分。")
        volunteer.community_id = community  # moved meanwhile: the points go where they serve now
    if kind == EntryKind.EARN:
        _add_earned(volunteer.community_id, month_of(entry.at), amount)
    return entry


def month_of(moment):
    """The first day of the month (Asia/Shanghai) a ledger time falls in: its PointsMonth."""
    return timezone.localdate(moment).replace(day=1)


def _add_earned(community_id, month, points):
    """Add `points` (negative: take them away) to a community's month: one conditional UPDATE, or the
    month's first row; the CHECK of a positive column refuses a month taken below zero."""
    rows = PointsMonth.objects.filter(community_id=community_id, month=month)
    if rows.update(earned=F("earned") + points):
        return
    try:
        with transaction.atomic():
            PointsMonth.objects.create(community_id=community_id, month=month, earned=points)
    except IntegrityError:  # another earn created the month's row meanwhile
        rows.update(earned=F("earned") + points)


def earned_by_month(entries):
    """{(community id, month): points earned} of the `entries` (a PointsEntry queryset), by the
    volunteer's community and the entry's month in Asia/Shanghai: one GROUP BY query."""
    month = TruncMonth("at", output_field=DateField(), tzinfo=timezone.get_current_timezone())
    rows = (
        entries.filter(kind=EntryKind.EARN)
        .order_by()
        .values_list("volunteer__community", month)
        .annotate(total=Sum("amount"))
    )
    return {(community, month): total for community, month, total in rows}


def move_volunteer(*, volunteer, community):
    """A volunteer now serves `community`: their months' earned points move with them (the dashboard
    counts a volunteer's points in the area they serve), in the transaction that changes the row."""
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if locked.community_id == community.pk:
            return
        moves = []
        for (_old, month), points in earned_by_month(locked.points_entries.all()).items():
            moves += [(locked.community_id, month, -points), (community.pk, month, points)]
        # In one order for every writer: two volunteers moving opposite ways can't wait on each other.
        for community_id, month, points in sorted(moves):
            _add_earned(community_id, month, points)
        locked.community = community
        locked.save(update_fields=["community"])
        volunteer.community = community


def refill_months():
    """Every PointsMonth row set to what the ledger adds up to (after a bulk load of history, which
    bypasses `post_entry`): one GROUP BY and one upsert."""
    PointsMonth.objects.bulk_create(
        [
            PointsMonth(community_id=community, month=month, earned=points)
            for (community, month), points in earned_by_month(PointsEntry.objects.all()).items()
        ],
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["community", "month"],
        update_fields=["earned"],
    )


def reverse_entry(*, entry, by, note):
    """冲正: a mistaken entry is answered by one of the opposite amount, never edited (once per entry)."""
    note = (note or "").strip()
    if not note:
        raise Refusal("冲正时请填写原因。", kind=Refusal.INVALID)
    if entry.kind == EntryKind.REVERSE:
        raise Refusal("冲正流水不能再冲正；如有需要请重新记一条。", kind=Refusal.INVALID)
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=entry.volunteer_id)
        if not by.can_manage(volunteer.community):
            raise Refusal("只有志愿者所在社区的工作人员可以冲正积分。", kind=Refusal.FORBIDDEN)
        reversal = post_entry(
            volunteer=volunteer,
            kind=EntryKind.REVERSE,
            amount=-entry.amount,
            source=f"reverse:{entry.pk}",
            by=by,
            note=note,
            reverses=entry,
            service_record_id=entry.service_record_id,
            rule_id=entry.rule_id,
            redemption_id=entry.redemption_id,
            earned_on=entry.earned_on,  # a reversal gives back the cap's room in the month it was earned
        )
        if reversal is None:
            raise Refusal("这条流水已经冲正过了。")
    return reversal


def month_bounds(day):
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following


def earned_under(*, volunteer, rule, month_of):
    """Points the volunteer holds this month under any version of `rule` (earned less reversals), by
    the day the service or activity took place (`earned_on`; entries posted before that column by
    their service record's date): what its monthly cap is measured against."""
    first, following = month_bounds(month_of)
    in_month = Q(earned_on__gte=first, earned_on__lt=following) | Q(
        earned_on__isnull=True, service_record__served_on__gte=first, service_record__served_on__lt=following
    )
    return (
        PointsEntry.objects.filter(in_month, volunteer=volunteer, rule__code=rule.code).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )


def earn_under_rule(*, volunteer, rule, points, on, source, by=None, note="", **links):
    """Every earn under a 积分标准 goes through here: `points` for what happened on `on`, cut to what the
    rule's monthly cap leaves that month, posted through `post_entry`; the caller holds a transaction.

    Locks the volunteer's row first: it orders everything that reads or moves their points, so two
    earns at once can't both see the cap's room. Returns the points posted (0: the cap was reached, or
    `source` was posted already).
    """
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if rule.monthly_cap is not None:
        points = min(points, rule.monthly_cap - earned_under(volunteer=volunteer, rule=rule, month_of=on))
    if points <= 0:
        return 0  # no zero entry: the ledger records moves
    entry = post_entry(
        volunteer=volunteer, kind=EntryKind.EARN, amount=points, source=source, by=by, note=note,
        rule=rule, earned_on=on, **links,
    )  # fmt: skip
    return points if entry else 0


def revise_rule(*, rule, by, effective_from, **terms):
    """A change of a 积分标准: a new version from `effective_from`; the old one ends the day before.

    Services already verified keep the version they were verified under, and their points.
    """
    with transaction.atomic():
        current = PointRule.objects.select_for_update().get(pk=rule.pk)
        if not by.can_manage(current.area):
            raise Refusal("只有该标准适用区域的工作人员可以修改积分标准。", kind=Refusal.FORBIDDEN)
        if PointRule.objects.filter(code=current.code, version__gt=current.version).exists():
            raise Refusal("这不是该标准的最新版本，请在最新版本上修改。")
        if effective_from <= current.effective_from:
            raise Refusal(
                f"新版本的生效日期须晚于当前版本的生效日期（{current.effective_from:%Y-%m-%d}）。",
                kind=Refusal.INVALID,
            )
        fields = {
            name: getattr(current, name)
            for name in ("code", "name", "category", "area", "unit", "points_per_unit", "monthly_cap")
        }
        fields["evidence_required"] = current.evidence_required
        new = PointRule(
            **{**fields, **terms},
            version=current.version + 1,
            effective_from=effective_from,
            effective_to=current.effective_to,
        )
        new.full_clean()
        if current.effective_to is None or current.effective_to >= effective_from:
            current.effective_to = effective_from - datetime.timedelta(days=1)
            current.save(update_fields=["effective_to"])
        new.save()
    return new
