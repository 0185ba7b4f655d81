"""A volunteer's service (ServiceRecord): submitted by the volunteer, verified or rejected by the staff
of the volunteer's community, never by the volunteer. Verification posts the points in the same
transaction, within the rule's monthly cap.

Locks are taken in one order everywhere (the record, then the volunteer; members/rewards.py: the
redemption, the volunteer, then the reward), so concurrent requests queue and never deadlock.
"""

from decimal import ROUND_FLOOR, Decimal

from django.db import transaction
from django.utils import timezone

from sites.uploads import check_each

from .errors import Refusal
from .models import PointRule, ServicePhoto, ServiceRecord, ServiceStatus
from .models.points import MAX_SERVICE_PHOTOS, validate_service_photo
from .points import earn_under_rule


def may_verify(user, record):
    """Staff who manage the volunteer's community; a volunteer never verifies their own service."""
    return (
        user.is_authenticated
        and user.pk != record.volunteer.user_id
        and user.can_manage(record.volunteer.community)
    )


def rules_for(volunteer, on=None):
    """The rules a volunteer may record a service under on `on`: their community's and those above it."""
    on = on or timezone.localdate()
    return PointRule.objects.applicable_to(volunteer.community).in_force(on).select_related("area")


def submit_service(*, volunteer, by, rule, title, place, served_on, units, photos=()):
    """The volunteer (or their community's staff on their behalf) records a service to be verified,
    with up to MAX_SERVICE_PHOTOS evidence photos, each checked by its content; all or nothing."""
    if by.pk != volunteer.user_id and not by.can_manage(volunteer.community):
        raise Refusal("只能为自己提交服务记录。", kind=Refusal.FORBIDDEN)
    if served_on > timezone.localdate():
        raise Refusal("服务日期不能晚于今天。", kind=Refusal.INVALID)
    if not rules_for(volunteer, served_on).filter(pk=rule.pk).exists():
        raise Refusal(
            f"“{rule.name}”在 {served_on:%Y-%m-%d} 不适用于{volunteer.community.name}，"
            "请选择当时有效的积分标准。",
            kind=Refusal.INVALID,
        )
    photos = list(photos)
    if rule.evidence_required and not photos:
        raise Refusal(f"“{rule.name}”须上传服务照片作为凭证。", kind=Refusal.INVALID)
    if len(photos) > MAX_SERVICE_PHOTOS:
        chosen = len(photos)
        message = f"每条服务记录最多上传 {MAX_SERVICE_PHOTOS} 张照片，您选了 {chosen} 张。"
        raise Refusal(message, kind=Refusal.INVALID)
    record = ServiceRecord(
        volunteer=volunteer, rule=rule, title=title, place=place, served_on=served_on, units=units
    )
    record.full_clean()  # a ValidationError names the field to fix (units, dates)
    check_each(photos, validate_service_photo, field="photos")
    with transaction.atomic():
        record.save()
        for photo in photos:
            ServicePhoto.objects.create(record=record, image=photo)
    return record


def _locked_submitted(record):
    record = (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("volunteer__community", "rule")
        .get(pk=record.pk)
    )
    if record.status != ServiceStatus.SUBMITTED:
        raise Refusal(f"这条服务记录已经审核过（{record.get_status_display()}），不能重复审核。")
    return record


def points_for(record):
    """What the service is worth under its rule version: whole points, rounded down."""
    worth = (Decimal(record.units) * record.rule.points_per_unit).to_integral_value(rounding=ROUND_FLOOR)
    return int(worth)


def verify_service(*, record, by):
    """审核通过: the record is verified and its points posted (up to what the monthly cap leaves)."""
    with transaction.atomic():
        record = _locked_submitted(record)
        if not may_verify(by, record):
            raise Refusal("只有志愿者所在社区的工作人员可以审核服务记录。", kind=Refusal.FORBIDDEN)
        points = earn_under_rule(
            volunteer=record.volunteer, rule=record.rule, points=points_for(record), on=record.served_on,
            source=f"service:{record.pk}", by=by, service_record=record, note=record.title[:200],
        )  # fmt: skip
        record.status, record.points = ServiceStatus.VERIFIED, points
        record.decided_by, record.decided_at = by, timezone.now()
        record.save(update_fields=["status", "points", "decided_by", "decided_at"])
    return record


def reject_service(*, record, by, reason):
    reason = (reason or "").strip()
    with transaction.atomic():
        record = _locked_submitted(record)
        if not may_verify(by, record):
            raise Refusal("只有志愿者所在社区的工作人员可以审核服务记录。", kind=Refusal.FORBIDDEN)
        if not reason:
            raise Refusal("退回服务记录时请填写原因，方便志愿者补充后重新提交。", kind=Refusal.INVALID)
        record.status, record.reject_reason = ServiceStatus.REJECTED, reason[:300]
        record.decided_by, record.decided_at = by, timezone.now()
        record.save(update_fields=["status", "reject_reason", "decided_by", "decided_at"])
    return record
