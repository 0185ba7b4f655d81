"""Residents' demands (居民点单 → 组织下单 → 党员接单 → 评价): the one write path of their closed loop.

Every operation locks the demand's row, checks the move against `MOVES` (the one state machine), and
writes the new state and its `DemandTransition` in one transaction through `_move`, so the timeline can
never drift from the state. Refusals are `members.errors.Refusal` with the Chinese reason and a kind
(400 bad input, 403 wrong person, 409 not in a state for it) that the pages and the API show as is.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.errors import Refusal
from members.models import CommunityReporting, Member, Organization, PointRule
from members.notify import notify
from members.points import earn_under_rule
from sites.models import AreaLevel

from .demand_models import (
    OPEN_STATUSES,
    Channel,
    Demand,
    DemandStatus,
    DemandTaking,
    DemandTransition,
    Evaluation,
    Rating,
)
from .list_models import ServiceCategory, ServiceKind
from .needs import create_need
from .open311 import masked_digits
from .resident_models import Resident
from .templatetags.demands import deadline_label
from .working_days import deadline_after, working_days_between

S = DemandStatus
# The state machine: from each state, the states an operation may move a demand to.
MOVES = {
    S.SUBMITTED: {S.ACCEPTED, S.REJECTED, S.DUPLICATE, S.TRANSFERRED, S.PROMOTED},
    S.ACCEPTED: {S.DISPATCHED, S.RESOLVED, S.REJECTED, S.DUPLICATE, S.TRANSFERRED, S.PROMOTED},
    S.DISPATCHED: {S.DISPATCHED, S.TAKEN, S.RESOLVED, S.TRANSFERRED, S.PROMOTED},
    S.TAKEN: {S.DISPATCHED, S.RESOLVED, S.TRANSFERRED},
    S.RESOLVED: {S.CLOSED, S.DISPATCHED},
}
# What a person calls each move, for a refusal ("已办结的诉求不能派单").
ACTION = {
    S.ACCEPTED: "受理",
    S.DISPATCHED: "派单",
    S.TAKEN: "接单",
    S.RESOLVED: "办结",
    S.CLOSED: "关闭",
    S.REJECTED: "不予受理",
    S.DUPLICATE: "标记重复",
    S.TRANSFERRED: "转办",
    S.PROMOTED: "转入需求清单",
}
# The resident may reopen a resolved demand this long after its resolution; after it, it closes itself.
REOPEN_DAYS = 7
# The 积分标准 a party member's completed order earns points under (members' PointRule code).
ORDER_RULE_CODE = "demand-order"
MICRO_DEGREE = Decimal("0.000001")


def _lock(demand):
    return Demand.objects.select_for_update().select_related("category", "community").get(pk=demand.pk)


def _move(demand, to, *, by, note="", now=None, **fields):
    """Move the locked `demand` to `to`, saving `fields` with it, and append the transition (with the
    deadline when the move sets one)."""
    if to not in MOVES.get(demand.status, ()):
        raise Refusal(f"{demand.get_status_display()}的诉求不能{ACTION[to]}。")
    now = now or timezone.now()
    previous = demand.status
    demand.status = to
    for name, value in fields.items():
        setattr(demand, name, value)
    demand.save(update_fields=["status", *fields])
    DemandTransition.objects.create(
        demand=demand,
        at=now,
        by=by,
        from_status=previous,
        to_status=to,
        note=note,
        deadline=fields.get("deadline"),
    )
    return demand


def _reason(note, what):
    note = (note or "").strip()
    if not note:
        raise Refusal(f"{what}时请填写原因。", kind=Refusal.INVALID)
    return note


def _require_staff(by, demand, what):
    if not by.can_manage(demand.community):
        raise Refusal(f"只有该诉求所在社区及上级的工作人员可以{what}。", kind=Refusal.FORBIDDEN)


def _tell(user, demand, template, key, **context):
    if user is not None and user.is_active:
        notify(
            recipient=user,
            template=template,
            context={"demand": demand.pk, "title": demand.title, **context},
            key=f"demand:{demand.pk}:{key}:{user.pk}",
        )


def _tell_resident(demand, template, key, **context):
    if demand.resident_id:
        _tell(demand.resident.user, demand, template, key, **context)


def handlers_of(demand):
    """Who is handling it now: the active taker's account, else the member or the organisation's
    accounts it is dispatched to."""
    taking = demand.takings.filter(released_at=None).select_related("member__user").first()
    if taking is not None:
        return [taking.member.user] if taking.member.user_id else []
    if demand.dispatched_member_id:
        user = demand.dispatched_member.user
        return [user] if user is not None else []
    if demand.dispatched_organization_id:
        return list(demand.dispatched_organization.users.filter(is_active=True))
    return []


def raise_demand(
    *,
    by,
    community,
    category,
    title,
    description,
    resident=None,
    grid=None,
    latitude=None,
    longitude=None,
    address="",
    photo=None,
    contact_name="",
    contact_phone="",
    channel=None,
    now=None,
):
    """我要反映: a resident raises a demand in their community, or staff of the community raise one on a
    resident's behalf (a phone call, a grid visit: `channel`), naming the resident or, for someone not
    registered, their name and phone. The point defaults to the grid's or community's centre."""
    if resident is None and not by.can_manage(community):
        raise Refusal("请先注册为居民后再反映诉求。", kind=Refusal.FORBIDDEN)
    own = resident is not None and by.pk == resident.user_id
    channel = channel or (Channel.ONLINE if own else Channel.OTHER)
    if channel not in Channel.values or (channel == Channel.ONLINE) != own:
        raise Refusal("请选择反映渠道（电话、走访等）。", kind=Refusal.INVALID)
    if resident is None and not (contact_name or "").strip():
        raise Refusal("未注册的居民请填写联系人姓名。", kind=Refusal.INVALID)
    if community.level != AreaLevel.COMMUNITY:
        raise Refusal("请选择诉求所在的社区。", kind=Refusal.INVALID)
    if grid is not None and (grid.level != AreaLevel.GRID or not grid.path.startswith(community.path)):
        raise Refusal("所选网格不在该社区内。", kind=Refusal.INVALID)
    if not category.active:
        raise Refusal("该诉求类别已停用，请选择其他类别。", kind=Refusal.INVALID)
    if (latitude is None) != (longitude is None):
        raise Refusal("请在地图上选定位置，或两项都不填。", kind=Refusal.INVALID)
    centre = grid if grid is not None and grid.latitude is not None else community
    if latitude is None:
        if centre.latitude is None:
            raise Refusal("请在地图上选定诉求的位置。", kind=Refusal.INVALID)
        latitude, longitude = centre.latitude, centre.longitude
    try:  # a point from a map or a JSON float: six decimals (about 0.1 m) are what is stored
        latitude, longitude = (Decimal(str(v)).quantize(MICRO_DEGREE) for v in (latitude, longitude))
    except InvalidOperation as error:
        raise Refusal("位置的经纬度应为数字。", kind=Refusal.INVALID) from error
    now = now or timezone.now()
    demand = Demand(
        resident=resident, raised_by=by, community=community, grid=grid, category=category,
        title=(title or "").strip(), description=(description or "").strip(), latitude=latitude,
        longitude=longitude, address=(address or "").strip(), submitted_at=now, channel=channel,
        contact_name=(contact_name or (resident.name if resident else "")).strip(),
        contact_phone=(contact_phone or (resident.user.phone if resident else "")).strip(),
    )  # fmt: skip
    if photo:
        demand.photo = photo
    try:
        demand.full_clean(exclude=["resident", "raised_by", "community", "grid", "category"])
    except ValidationError as error:
        raise Refusal("；".join(error.messages), kind=Refusal.INVALID) from error
    with transaction.atomic():
        demand.save()
        DemandTransition.objects.create(
            demand=demand, at=now, by=by, from_status="", to_status=S.SUBMITTED,
            note="居民反映" if channel == Channel.ONLINE else f"工作人员代为登记（{Channel(channel).label}）",
        )  # fmt: skip
        for staff in community.staff.filter(is_active=True):
            _tell(staff, demand, "demand_submitted", "submitted")
    return demand


def resident_by_phone(community, phone):
    """The registered resident of `community` with this phone (their login), or None: staff find the
    caller by the number they give."""
    phone = (phone or "").strip()
    if not phone:
        return None
    return Resident.objects.select_related("user").filter(community=community, user__phone=phone).first()


def accept(*, demand, by, note="", now=None):
    """受理: the deadline is fixed now from the category's limit, in working days, and never moves."""
    _require_staff(by, demand, "受理诉求")
    now = now or timezone.now()
    with transaction.atomic():
        demand = _lock(demand)
        days = demand.category.deadline_days
        deadline = deadline_after(now, days)
        _move(
            demand, S.ACCEPTED, by=by, note=note or f"{days} 个工作日内办结", now=now,
            accepted_at=now, deadline_days=days, deadline=deadline,
        )  # fmt: skip
        _tell_resident(demand, "demand_accepted", "accepted", deadline=deadline_label(deadline))
    return demand


def dispatch(*, demand, by, member=None, organization=None, note="", now=None):
    """组织下单: to a party member who reported to the demand's community, or to an organisation (a
    volunteer team, a co-building unit). Sending it elsewhere releases a taker it had."""
    _require_staff(by, demand, "派单")
    if (member is None) == (organization is None):
        raise Refusal("请选择接单的党员或组织（二选一）。", kind=Refusal.INVALID)
    if member is not None and not (
        CommunityReporting.objects.filter(member=member, community=demand.community, until=None).exists()
    ):
        raise Refusal(
            f"{member.name}未在{demand.community.name}报到，不能派单给他/她。", kind=Refusal.INVALID
        )
    now = now or timezone.now()
    with transaction.atomic():
        demand = _lock(demand)
        DemandTaking.objects.filter(demand=demand, released_at=None).update(released_at=now)
        _move(
            demand, S.DISPATCHED, by=by, now=now,
            note=note or f"派给{member.name if member else organization.name}",
            dispatched_member=member, dispatched_organization=organization,
        )  # fmt: skip
        for user in handlers_of(demand):
            _tell(user, demand, "demand_dispatched", f"dispatched:{now.timestamp()}")
    return demand


def may_take(demand, member):
    if demand.dispatched_member_id:
        return demand.dispatched_member_id == member.pk
    return demand.dispatched_organization_id is not None and demand.dispatched_organization_id in (
        member.organization_id,
        member.group_id,
    )


def take(*, demand, by, now=None):
    """接单: a party member it was dispatched to (or a member of the organisation) takes it. Exactly one
    takes it, however many try at once: the row lock queues them, the partial unique index backs it."""
    member = Member.objects.filter(user=by).first()
    if member is None:
        raise Refusal("只有关联了党员身份的账号可以接单。", kind=Refusal.FORBIDDEN)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            demand = _lock(demand)
            if demand.status == S.TAKEN:
                raise Refusal("该诉求已有党员接单。")
            if demand.status == S.DISPATCHED and not may_take(demand, member):
                raise Refusal("该诉求未派给您或您所在的组织。", kind=Refusal.FORBIDDEN)
            _move(demand, S.TAKEN, by=by, now=now, note=f"{member.name}接单")
            DemandTaking.objects.create(demand=demand, member=member, taken_at=now)
            _tell_resident(demand, "demand_taken", f"taken:{now.timestamp()}", member=member.name)
    except IntegrityError as error:  # another taking committed first (the lock makes it rare)
        raise Refusal("该诉求已有党员接单。") from error
    return demand


def resolve(*, demand, by, note, photo=None, now=None):
    """办结: the taker, or the community's staff (who may also resolve it themselves), with a note."""
    note = (note or "").strip()
    if not note:
        raise Refusal("办结时请填写办理结果。", kind=Refusal.INVALID)
    now = now or timezone.now()
    with transaction.atomic():
        demand = _lock(demand)
        taking = demand.takings.filter(released_at=None).select_related("member").first()
        if not by.can_manage(demand.community) and (taking is None or taking.member.user_id != by.pk):
            raise Refusal("只有接单党员或该社区的工作人员可以办结。", kind=Refusal.FORBIDDEN)
        fields = {
            "resolved_at": now,
            "resolution_note": note,
            "working_days_taken": working_days_between(demand.accepted_at, now),
        }
        if photo:
            fields["resolution_photo"] = photo
        _move(demand, S.RESOLVED, by=by, now=now, note=note, **fields)
        if taking is not None:
            DemandTaking.objects.filter(pk=taking.pk).update(completed=True)
        _tell_resident(demand, "demand_resolved", f"resolved:{demand.reopen_count}")
    return demand


def evaluate(*, demand, by, rating, comment="", now=None):
    """评价, once per resolution, by the resident: 不满意 reopens it, 满意 / 基本满意 closes it."""
    if rating not in Rating.values:
        raise Refusal("请选择满意、基本满意或不满意。", kind=Refusal.INVALID)
    now = now or timezone.now()
    with transaction.atomic():
        demand = _lock(demand)
        if demand.resident_id is None or demand.resident.user_id != by.pk:
            raise Refusal("只有反映诉求的居民可以评价。", kind=Refusal.FORBIDDEN)
        if demand.status != S.RESOLVED:
            raise Refusal("诉求办结后才能评价。")
        if Evaluation.objects.filter(demand=demand, round=demand.reopen_count).exists():
            raise Refusal("这次办结已经评价过了。")
        Evaluation.objects.create(
            demand=demand, round=demand.reopen_count, rating=rating, comment=(comment or "").strip(), by=by,
            at=now,
        )  # fmt: skip
        label = Rating(rating).label
        if rating == Rating.DISSATISFIED:
            _reopen(demand, by=by, note=f"居民评价：{label}。{comment}".strip(), now=now)
        else:
            _close(demand, by=by, note=f"居民评价：{label}", now=now)
    return demand


def reopen(*, demand, by, note, now=None):
    """The resident, within REOPEN_DAYS of the resolution, sends it back: dispatched again."""
    note = _reason(note, "重新办理")
    now = now or timezone.now()
    with transaction.atomic():
        demand = _lock(demand)
        if demand.resident_id is None or demand.resident.user_id != by.pk:
            raise Refusal("只有反映诉求的居民可以要求重新办理。", kind=Refusal.FORBIDDEN)
        if demand.status == S.RESOLVED and now - demand.resolved_at > dt.timedelta(days=REOPEN_DAYS):
            raise Refusal(f"办结已超过 {REOPEN_DAYS} 天，不能再要求重新办理，请重新反映。")
        _reopen(demand, by=by, note=note, now=now)
    return demand


def _reopen(demand, *, by, note, now):
    """Back to dispatched (to whom it was dispatched before), with a new deadline of the working days
    fixed at 受理 (not the category's current limit) and one more reopen."""
    deadline = deadline_after(now, demand.deadline_days)
    DemandTaking.objects.filter(demand=demand, released_at=None).update(released_at=now)
    _move(
        demand, S.DISPATCHED, by=by, note=note, now=now, deadline=deadline,
        reopen_count=demand.reopen_count + 1, resolved_at=None, overdue_at=None, escalated_at=None,
    )  # fmt: skip
    for user in handlers_of(demand):
        _tell(user, demand, "demand_reopened", f"reopened:{demand.reopen_count}")


def _close(demand, *, by, note, now):
    """Closed after a resolution: the taker of that resolution earns the order's points, once per demand."""
    _move(demand, S.CLOSED, by=by, note=note, now=now, closed_at=now)
    taking = (
        demand.takings.filter(released_at=None, completed=True).select_related("member__volunteer").first()
    )
    volunteer = getattr(taking.member, "volunteer", None) if taking else None
    day = timezone.localdate(now)  # Suzhou's date: a rule that starts on 1 January starts at midnight there
    rule = (
        (PointRule.objects.in_force(day).applicable_to(demand.community).filter(code=ORDER_RULE_CODE))
        .order_by("-area__depth", "-version")
        .first()
    )
    if volunteer is not None and rule is not None:
        earn_under_rule(
            volunteer=volunteer, rule=rule, points=rule.points_per_unit, on=day,
            source=f"demand:{demand.pk}", note=f"居民诉求 #{demand.pk} 接单办结",
        )  # fmt: skip


def close_expired(*, now=None):
    """Close every demand resolved more than REOPEN_DAYS ago with no evaluation (a periodic job);
    idempotent: a closed demand is no longer resolved. Returns how many it closed."""
    now = now or timezone.now()
    ids = list(
        Demand.objects.filter(
            status=S.RESOLVED, resolved_at__lt=now - dt.timedelta(days=REOPEN_DAYS)
        ).values_list("pk", flat=True)
    )
    closed = 0
    for pk in ids:
        with transaction.atomic():
            demand = _lock(Demand(pk=pk))
            if demand.status == S.RESOLVED:
                _close(demand, by=None, note=f"办结 {REOPEN_DAYS} 天内未评价，自动关闭", now=now)
                closed += 1
    return closed


def reject(*, demand, by, reason, now=None):
    """不予受理, with the reason the resident is told."""
    return _exit(demand, S.REJECTED, by=by, note=_reason(reason, "不予受理"), now=now)


def mark_duplicate(*, demand, by, of, reason="", now=None):
    """A duplicate of `of` (another demand of the same community, not itself a duplicate)."""
    if of.pk == demand.pk or of.status == S.DUPLICATE or of.community_id != demand.community_id:
        raise Refusal("请选择本社区另一条非重复的诉求作为原诉求。", kind=Refusal.INVALID)
    note = (reason or "").strip() or f"与诉求 #{of.pk} 重复"
    return _exit(demand, S.DUPLICATE, by=by, note=note, now=now, duplicate_of=of)


def promote(*, demand, by, reason, kind=ServiceKind.OTHER, now=None):
    """转入需求清单: the demand becomes a draft need of its community's 需求清单, written by the lists' own
    `create_need` in the same transaction, and follows it (`Demand.need`; the need's page counts the
    demands it came from). The need carries no personal data: the title with long digit runs masked, the
    staff's reason as its description, the grid's (or community's) centre as its point, no address."""
    note = _reason(reason, "转入需求清单")
    _require_staff(by, demand, ACTION[S.PROMOTED])
    if kind not in ServiceKind.values:
        raise Refusal("请选择需求类型。", kind=Refusal.INVALID)
    with transaction.atomic():
        demand = _lock(demand)  # read afresh: the centre's coordinates as stored
        centre = demand.grid if demand.grid_id and demand.grid.latitude is not None else demand.community
        try:
            need = create_need(
                community=demand.community, by=by, grid=demand.grid, title=masked_digits(demand.title),
                description=note, category=ServiceCategory.PUBLIC_SERVICE, kind=kind, quantity=1,
                latitude=centre.latitude, longitude=centre.longitude,
            )  # fmt: skip
        except ValidationError as error:
            raise Refusal("；".join(error.messages), kind=Refusal.INVALID) from error
        note = f"{note}（需求清单 #{need.pk}）"
        _exit(demand, S.PROMOTED, by=by, note=note, now=now, locked=True, need=need)
    return demand


def transfer(*, demand, by, to, reason, now=None):
    """转办: to the street (its staff take it from there) or to another community, where it starts
    again as a new demand (submitted) with the same resident, text and place."""
    note = _reason(reason, "转办")
    if to.level not in (AreaLevel.TOWN, AreaLevel.COMMUNITY) or to.pk == demand.community_id:
        raise Refusal("请选择要转办的街道或其他社区。", kind=Refusal.INVALID)
    now = now or timezone.now()
    with transaction.atomic():
        demand = _lock(demand)
        moved = None
        if to.level == AreaLevel.COMMUNITY:
            moved = Demand.objects.create(
                resident=demand.resident, raised_by=by, contact_name=demand.contact_name,
                contact_phone=demand.contact_phone, community=to, category=demand.category,
                title=demand.title, description=demand.description, latitude=demand.latitude,
                longitude=demand.longitude, address=demand.address, photo=demand.photo, submitted_at=now,
            )  # fmt: skip
            DemandTransition.objects.create(
                demand=moved, at=now, by=by, from_status="", to_status=S.SUBMITTED,
                note=f"由{demand.community.name}转办（原诉求 #{demand.pk}）：{note}",
            )  # fmt: skip
        _exit(demand, S.TRANSFERRED, by=by, note=f"转办{to.name}：{note}", now=now, locked=True,
              transferred_area=to, transferred_to=moved)  # fmt: skip
    return demand


def _exit(demand, to, *, by, note, now=None, locked=False, **fields):
    _require_staff(by, demand, ACTION[to])
    now = now or timezone.now()
    with transaction.atomic():
        if not locked:
            demand = _lock(demand)
        if demand.status not in OPEN_STATUSES and demand.status != S.SUBMITTED:
            raise Refusal(f"{demand.get_status_display()}的诉求不能{ACTION[to]}。")
        DemandTaking.objects.filter(demand=demand, released_at=None).update(released_at=now)
        _move(demand, to, by=by, note=note, now=now, closed_at=now, **fields)
        _tell_resident(demand, "demand_ended", to, status=demand.get_status_display(), note=note)
    return demand


def replay(transitions):
    """The (status, reopen count) that `transitions` (one demand's, in order) lead to."""
    status, reopens = "", 0
    for transition in transitions:
        if transition.from_status != status:
            raise ValueError(
                f"transition {transition.pk} starts from {transition.from_status!r}, not {status!r}"
            )
        status = transition.to_status
        reopens += transition.is_reopen
    return status, reopens


def staff_organizations(demand):
    """The organisations a demand may be dispatched to: those of its community and street (volunteer
    teams, branches) and the co-building units paired with its street."""
    street = demand.community.parent
    return Organization.objects.filter(area__path__startswith=street.path) | Organization.objects.filter(
        paired_street=street
    )
