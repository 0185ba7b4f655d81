"""双向认领: a unit claims a community's need, or a community claims a unit's resource. The one write path.

Every claim is between a co-building unit (the provider, who does the work) and a community (the
receiver). The side that owns the need or resource accepts or declines; the unit records completion
with its evidence; the community evaluates it.

Every write that moves a counter first locks the need's (or resource's) row, then writes the claim
and the counter in the same transaction: claims of one need run one after another, each sees what the
last one took, so the quantity claimed never passes what was asked, under any number of concurrent
claims. The CHECK on the counter, the partial unique index (one live claim per need and unit) and
`services.reconcile` catch any path that forgets. Each step writes a `ClaimEvent` (append-only) and
tells the other side through the outbox in the same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.notify import notify
from sites.models import AreaLevel

from .list_models import (
    Claim,
    ClaimDirection,
    ClaimEvent,
    ClaimStatus,
    Need,
    NeedStatus,
    Rating,
    Resource,
    ResourceStatus,
)


class ClaimConflict(Exception):
    """The claim cannot be made or take this step now (over the quantity left, already claimed, closed,
    already decided): a 409 with the reason."""


def acts_for_unit(user, organization):
    """Whether `user` speaks for the co-building unit: its own staff (User.organization), or a superuser."""
    return user.is_authenticated and (user.is_superuser or user.organization_id == organization.pk)


def acts_for_community(user, community):
    return user.is_authenticated and user.can_manage(community)


def unit_of(user):
    """The co-building unit `user` claims for, or None."""
    organization = user.organization if getattr(user, "organization_id", None) else None
    return organization if organization is not None and organization.is_cobuilding else None


def may_decide(user, claim):
    """The owning side: the need's community, or the resource's unit."""
    if claim.direction == ClaimDirection.NEED:
        return acts_for_community(user, claim.community)
    return acts_for_unit(user, claim.organization)


def may_withdraw(user, claim):
    """The claiming side: the unit that claimed a need, the community that claimed a resource."""
    if claim.direction == ClaimDirection.NEED:
        return acts_for_unit(user, claim.organization)
    return acts_for_community(user, claim.community)


def claim_need(*, need, by, quantity, note="", organization=None):
    """`organization` (default: `by`'s unit) claims `quantity` of `need`. Returns the pending Claim.

    Raises PermissionDenied (not a unit's staff), ValidationError (bad quantity) or ClaimConflict
    (the need takes no claims now, less is left, or the unit has a live claim on it already).
    """
    organization = organization or unit_of(by)
    if organization is None or not organization.is_cobuilding:
        raise PermissionDenied("只有共驻共建单位的工作人员可以认领需求。")
    if not acts_for_unit(by, organization):
        raise PermissionDenied("只能以本单位的名义认领。")
    _check_quantity(quantity)
    with transaction.atomic():
        locked = Need.objects.select_for_update(of=("self",)).select_related("community").get(pk=need.pk)
        problem = need_closed_problem(locked)
        if problem:
            raise ClaimConflict(problem)
        if locked.claims.live().filter(organization=organization).exists():
            raise ClaimConflict(f"“{organization}”已认领该需求，不能重复认领。")
        if quantity > locked.remaining:
            raise ClaimConflict(_over("该需求", locked, quantity))
        claim = _insert(
            Claim(
                direction=ClaimDirection.NEED, need=locked, organization=organization,
                community=locked.community, claimed_by=by, quantity=quantity, note=note,
            ),
            duplicate=f"“{organization}”已认领该需求，不能重复认领。",
        )  # fmt: skip
        locked.claimed += quantity
        locked.save(update_fields=["claimed"])
        _record(claim, by, note)
        _tell(locked.created_by, claim, "claimed", f"“{organization}”认领了需求")
    need.claimed = locked.claimed
    return claim


def claim_resource(*, resource, by, community, quantity, note=""):
    """`community` (whose staff `by` is) claims `quantity` of a unit's `resource`. Returns the Claim."""
    if not acts_for_community(by, community) or community.level != AreaLevel.COMMUNITY:
        raise PermissionDenied("只有社区工作人员可以为本社区认领资源。")
    _check_quantity(quantity)
    with transaction.atomic():
        locked = (
            Resource.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=resource.pk)
        )
        if locked.status != ResourceStatus.PUBLISHED:
            raise ClaimConflict("该资源未发布或已撤回，不能认领。")
        if not community.path.startswith(locked.street.path):
            raise ClaimConflict("该资源不服务本社区所在街道。")
        if locked.claims.live().filter(community=community).exists():
            raise ClaimConflict(f"“{community.name}”已认领该资源，不能重复认领。")
        if quantity > locked.remaining:
            raise ClaimConflict(_over("该资源", locked, quantity))
        claim = _insert(
            Claim(
                direction=ClaimDirection.RESOURCE, resource=locked, organization=locked.organization,
                community=community, claimed_by=by, quantity=quantity, note=note,
            ),
            duplicate=f"“{community.name}”已认领该资源，不能重复认领。",
        )  # fmt: skip
        locked.claimed += quantity
        locked.save(update_fields=["claimed"])
        _record(claim, by, note)
        _tell(locked.created_by, claim, "claimed", f"“{community.name}”认领了资源")
    resource.claimed = locked.claimed
    return claim


def accept_claim(*, claim, by):
    """The owning side accepts a pending claim: it goes in progress."""
    with transaction.atomic():
        locked = _lock(claim)
        if not may_decide(by, locked):
            raise PermissionDenied(_owner_only(locked))
        _expect(locked, ClaimStatus.PENDING, "只能确认待确认的认领。")
        _move(locked, ClaimStatus.IN_PROGRESS, by)
        _tell(locked.claimed_by, locked, "accepted", "认领已确认，请按约定开展服务")
    return locked


def decline_claim(*, claim, by, reason):
    """The owning side declines a pending claim, saying why; its quantity is free again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写婉拒原因。"})
    with transaction.atomic():
        subject = _lock_subject(claim)
        locked = _lock(claim)
        if not may_decide(by, locked):
            raise PermissionDenied(_owner_only(locked))
        _expect(locked, ClaimStatus.PENDING, "只能婉拒待确认的认领。")
        locked.decline_reason = reason[:200]
        _move(locked, ClaimStatus.DECLINED, by, note=reason, fields=["decline_reason"])
        _release(subject, locked)
        _tell(locked.claimed_by, locked, "declined", f"认领未被接受：{reason}")
    return locked


def withdraw_claim(*, claim, by):
    """The claiming side takes back a claim not yet accepted."""
    with transaction.atomic():
        subject = _lock_subject(claim)
        locked = _lock(claim)
        if not may_withdraw(by, locked):
            raise PermissionDenied("只有认领方可以撤回认领。")
        _expect(locked, ClaimStatus.PENDING, "认领已被处理，不能撤回；请联系对方。")
        _move(locked, ClaimStatus.WITHDRAWN, by)
        _release(subject, locked)
    return locked


def complete_claim(*, claim, by, on, beneficiaries, evidence=None, note=""):
    """The unit records the work done: the date, how many people it reached (惠及人次), a photo."""
    if on is None:
        raise ValidationError({"on": "请填写完成日期。"})
    if on > timezone.localdate():
        raise ValidationError({"on": "完成日期不能晚于今天。"})
    if beneficiaries is None or beneficiaries < 0:
        raise ValidationError({"beneficiaries": "请填写惠及人次（0 或以上的整数）。"})
    with transaction.atomic():
        subject = _lock_subject(claim)
        locked = _lock(claim)
        if not acts_for_unit(by, locked.organization):
            raise PermissionDenied("只有提供服务的共建单位可以登记完成情况。")
        _expect(locked, ClaimStatus.IN_PROGRESS, "只能为实施中的认领登记完成。")
        if on < timezone.localdate(locked.created_at):
            raise ValidationError({"on": "完成日期不能早于认领日期。"})
        locked.completed_on, locked.beneficiaries, locked.completion_note = on, beneficiaries, note[:300]
        fields = ["completed_on", "beneficiaries", "completion_note"]
        if evidence:
            locked.evidence = evidence
            locked.full_clean(exclude=[f.name for f in Claim._meta.fields if f.name != "evidence"])
            fields.append("evidence")
        _move(locked, ClaimStatus.COMPLETED, by, note=note, fields=fields)
        if isinstance(subject, Need):
            subject.fulfilled += locked.quantity
            subject.save(update_fields=["fulfilled"])
        receiver = subject.created_by if isinstance(subject, Need) else locked.claimed_by
        _tell(receiver, locked, "completed", "服务已完成，请评价")
    return locked


def evaluate_claim(*, claim, by, rating, comment=""):
    """The community rates the completed work: 满意 / 基本满意 / 不满意, with a comment."""
    if rating not in Rating.values:
        raise ValidationError({"rating": "请选择满意、基本满意或不满意。"})
    with transaction.atomic():
        locked = _lock(claim)
        if not acts_for_community(by, locked.community):
            raise PermissionDenied("只有受益社区的工作人员可以评价。")
        _expect(locked, ClaimStatus.COMPLETED, "只能评价已完成的认领，且只评价一次。")
        locked.rating, locked.evaluation_comment = rating, (comment or "")[:300]
        _move(locked, ClaimStatus.EVALUATED, by, note=comment, fields=["rating", "evaluation_comment"])
        _tell(locked.claimed_by if locked.direction == ClaimDirection.NEED else locked.resource.created_by,
              locked, "evaluated", f"社区评价：{Rating(rating).label}")  # fmt: skip
    return locked


def need_closed_problem(need):
    """Why `need` takes no claims now (a Chinese message), or ''."""
    if need.status != NeedStatus.PUBLISHED:
        return f"该需求{need.get_status_display()}，不能认领。"
    if need.wanted_by and need.wanted_by < timezone.localdate():
        return "该需求已过期望完成日期，不能认领。"
    if need.remaining <= 0:
        return "该需求已全部认领。"
    return ""


def _check_quantity(quantity):
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise ValidationError({"quantity": "认领数量应为 1 或以上的整数。"})


def _over(what, subject, quantity):
    return f"{what}还剩 {subject.remaining}{subject.unit} 可认领，不能认领 {quantity}{subject.unit}。"


def _insert(claim, *, duplicate):
    claim.full_clean(exclude=["need", "resource", "organization", "community", "claimed_by"])
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as error:  # the unique index: a concurrent claim by the same side won
        raise ClaimConflict(duplicate) from error
    return claim


def _lock_subject(claim):
    if claim.need_id:
        return Need.objects.select_for_update(of=("self",)).get(pk=claim.need_id)
    return Resource.objects.select_for_update(of=("self",)).get(pk=claim.resource_id)


def _lock(claim):
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("need", "resource__created_by", "organization", "community", "claimed_by")
        .get(pk=claim.pk)
    )


def _expect(claim, status, message):
    if claim.status != status:
        raise ClaimConflict(f"{message}（当前状态：{claim.get_status_display()}）")


def _move(claim, status, by, *, note="", fields=()):
    claim.status = status
    claim.save(update_fields=["status", *fields, "updated_at"])
    _record(claim, by, note)


def _release(subject, claim):
    """A declined or withdrawn claim (only a pending one is either) frees its quantity."""
    subject.claimed -= claim.quantity
    subject.save(update_fields=["claimed"])


def _record(claim, by, note):
    ClaimEvent.objects.create(claim=claim, status=claim.status, by=by, note=(note or "")[:300])


def _owner_only(claim):
    if claim.direction == ClaimDirection.NEED:
        return "只有发布需求的社区工作人员可以处理该认领。"
    return "只有提供资源的共建单位可以处理该认领。"


def _tell(recipient, claim, event, notice):
    if recipient is None:
        return  # a need carried over from a project's old free text has no recorder to tell
    notify(
        recipient=recipient,
        template="claim_update",
        context={
            "notice": notice,
            "subject": claim.subject_title,
            "unit": claim.organization.name,
            "community": claim.community.name,
            "quantity": claim.quantity,
            "status": claim.get_status_display(),
        },
        key=f"claim:{claim.pk}:{event}",
    )
