"""The 需求清单 and 资源清单's lifecycles: record, edit, publish, withdraw, close, expire. The one write path.

A need is raised by its community's staff (from residents' demands, grid visits or 议事会) as a draft,
published to the board, and closed when done; it may be withdrawn while nobody has claimed it, and
expires (`expire_needs`, daily) when its wished-by date passes with nothing claimed. A resource is
offered by a co-building unit's staff, for its paired street by default. The counters are never
written here: they belong to `services.claims`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from members.models.points import validate_service_photo
from sites.models import AreaLevel
from sites.uploads import check_each

from .claims import ClaimConflict, acts_for_community, acts_for_unit
from .list_models import MAX_NEED_PHOTOS, ClaimStatus, Need, NeedPhoto, NeedStatus, Resource, ResourceStatus

NEED_FIELDS = (
    "grid", "title", "description", "category", "kind", "address", "latitude", "longitude", "quantity",
    "unit", "urgency", "wanted_by",
)  # fmt: skip
RESOURCE_FIELDS = (
    "title", "description", "form", "kind", "year", "quantity", "unit", "street", "radius_m", "address",
    "latitude", "longitude", "available", "contact_name", "contact_phone",
)  # fmt: skip


def may_raise(user, community):
    return community.level == AreaLevel.COMMUNITY and acts_for_community(user, community)


def create_need(*, community, by, publish=False, photos=(), **fields):
    """Record a need of `community` (a draft, or published at once with `publish`), with its photos:
    all of it or, when a photo is refused, nothing."""
    if not may_raise(by, community):
        raise PermissionDenied("只有本社区的工作人员可以录入需求。")
    _only(fields, NEED_FIELDS)
    need = Need(community=community, created_by=by, **fields)
    if publish:
        need.status, need.published_at = NeedStatus.PUBLISHED, timezone.now()
    _check_need(need)
    with transaction.atomic():
        need.save()
        _attach_photos(need, by, list(photos), have=0)
    return need


def edit_need(*, need, by, changes, photos=()):
    """Change a need's details and add photos. Once claimed its quantity can't drop below what is claimed."""
    _only(changes, NEED_FIELDS)
    with transaction.atomic():
        locked = Need.objects.select_for_update(of=("self",)).select_related("community").get(pk=need.pk)
        if not may_raise(by, locked.community):
            raise PermissionDenied("只有本社区的工作人员可以修改需求。")
        if locked.status not in (NeedStatus.DRAFT, NeedStatus.PUBLISHED):
            raise ClaimConflict(f"该需求{locked.get_status_display()}，不能再修改。")
        for name, value in changes.items():
            setattr(locked, name, value)
        if locked.quantity < locked.claimed:
            raise ValidationError(
                {"quantity": f"已认领 {locked.claimed}{locked.unit}，需求数量不能少于此数。"}
            )
        _check_need(locked)
        if changes:
            locked.save(update_fields=list(changes))
        # Under the need's row lock: two uploads at once can't pass the limit between them.
        _attach_photos(locked, by, list(photos), have=locked.photos.count() if photos else 0)
    return locked


def remove_need_photo(*, photo, by):
    if not may_raise(by, photo.need.community):
        raise PermissionDenied("只有本社区的工作人员可以删除需求照片。")
    name, storage = photo.image.name, photo.image.storage
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))  # the file goes only once the row has


def publish_need(*, need, by):
    return _move_need(need, by, NeedStatus.PUBLISHED, from_=(NeedStatus.DRAFT,), message="只能发布草稿。")


def withdraw_need(*, need, by):
    """Take a need off the board: only while no live claim holds any of it."""
    return _move_need(
        need, by, NeedStatus.WITHDRAWN, from_=(NeedStatus.DRAFT, NeedStatus.PUBLISHED),
        message="只能撤回草稿或已发布的需求。", nothing_claimed=True,
    )  # fmt: skip


def close_need(*, need, by):
    """Close a published need: no claim may still be waiting or in progress."""
    with transaction.atomic():
        locked = _lock_need(need, by)
        if locked.claims.filter(status__in=[ClaimStatus.PENDING, ClaimStatus.IN_PROGRESS]).exists():
            raise ClaimConflict("还有待确认或实施中的认领，请先处理后再关闭。")
        return _set_status(
            locked, NeedStatus.CLOSED, from_=(NeedStatus.PUBLISHED,), message="只能关闭已发布的需求。"
        )


def expire_needs(*, today=None):
    """Published needs past their wished-by date with nothing claimed expire. Returns how many.

    One conditional UPDATE: a claim racing it either committed first (claimed > 0: the need stays) or
    finds the need expired. Idempotent: a second run finds nothing more.
    """
    today = today or timezone.localdate()
    return Need.objects.filter(status=NeedStatus.PUBLISHED, wanted_by__lt=today, claimed=0).update(
        status=NeedStatus.EXPIRED
    )


def create_resource(*, organization, by, publish=False, **fields):
    """A co-building unit offers a resource, for its paired street unless another street is given."""
    if not acts_for_unit(by, organization) or not organization.is_cobuilding:
        raise PermissionDenied("只有共驻共建单位的工作人员可以发布本单位的资源。")
    _only(fields, RESOURCE_FIELDS)
    fields.setdefault("street", organization.paired_street)
    fields.setdefault("year", timezone.localdate().year)
    resource = Resource(organization=organization, created_by=by, **fields)
    if publish:
        resource.status = ResourceStatus.PUBLISHED
    if resource.street_id and resource.street.level != AreaLevel.TOWN:
        raise ValidationError({"street": "服务街道应是镇/街道。"})
    resource.full_clean(exclude=["organization", "created_by"])
    resource.save()
    return resource


def set_resource_status(*, resource, by, status):
    """Publish a draft or withdraw a resource (a withdrawn one takes no new claims; live ones go on)."""
    allowed = {ResourceStatus.PUBLISHED: ResourceStatus.DRAFT, ResourceStatus.WITHDRAWN: None}
    with transaction.atomic():
        locked = Resource.objects.select_for_update(of=("self",)).get(pk=resource.pk)
        if not acts_for_unit(by, locked.organization):
            raise PermissionDenied("只有提供资源的共建单位可以修改资源状态。")
        before = allowed.get(status, "-")
        if before == "-" or (before and locked.status != before) or locked.status == status:
            raise ClaimConflict(
                f"该资源{locked.get_status_display()}，不能改为{ResourceStatus(status).label}。"
            )
        locked.status = status
        locked.save(update_fields=["status"])
    return locked


def _only(fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not a field one may set: {sorted(unknown)}")


def _attach_photos(need, by, photos, *, have):
    """Up to MAX_NEED_PHOTOS in all, each a JPG or PNG by its content (sites.uploads)."""
    if have + len(photos) > MAX_NEED_PHOTOS:
        raise ValidationError(
            {"photos": f"每项需求最多 {MAX_NEED_PHOTOS} 张照片：已有 {have} 张，这次选了 {len(photos)} 张。"}
        )
    check_each(photos, validate_service_photo, field="photos")
    for photo in photos:
        NeedPhoto.objects.create(need=need, image=photo, uploaded_by=by)


def _check_need(need):
    if need.grid_id and need.grid.parent_id != need.community_id:
        raise ValidationError({"grid": "所选网格不属于该社区。"})
    need.full_clean(exclude=["community", "created_by", "grid"])


def _lock_need(need, by):
    locked = Need.objects.select_for_update(of=("self",)).select_related("community").get(pk=need.pk)
    if not may_raise(by, locked.community):
        raise PermissionDenied("只有本社区的工作人员可以处理该需求。")
    return locked


def _move_need(need, by, status, *, from_, message, nothing_claimed=False):
    with transaction.atomic():
        locked = _lock_need(need, by)
        if nothing_claimed and locked.claimed:
            raise ClaimConflict(f"已有单位认领 {locked.claimed}{locked.unit}，不能撤回；请先处理认领。")
        return _set_status(locked, status, from_=from_, message=message)


def _set_status(locked, status, *, from_, message):
    if locked.status not in from_:
        raise ClaimConflict(f"{message}（当前：{locked.get_status_display()}）")
    locked.status = status
    fields = ["status"]
    if status == NeedStatus.PUBLISHED:
        locked.published_at = timezone.now()
        fields.append("published_at")
    locked.save(update_fields=fields)
    return locked
