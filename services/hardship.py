"""挂钩联系生活困难群众: the one write path of `HardshipLink`.

A community's staff name the household and the co-building unit (one paired with the community's
street) that will keep in touch with it; they end the link when it stops. The admin and the community's
page both call these; the household's details are the community's to see (HardshipLink.household_for).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import Organization, Role

from .indicator_models import HardshipLink

HOUSEHOLD_FIELDS = ("household_name", "address", "phone", "situation")


def may_link(user, community):
    """Whether `user` names households for `community`: its own staff (and superusers)."""
    return bool(getattr(user, "is_authenticated", False)) and user.acts_as(Role.COMMUNITY_STAFF, community)


def units_for(community):
    """The units a community may link a household with: those paired with its street."""

    return Organization.objects.filter(paired_street_id=community.parent_id).order_by("name")


@transaction.atomic
def link_household(*, by, organization, community, household_name, address, situation, started_on, phone=""):
    if not may_link(by, community):
        raise PermissionDenied("只有本社区工作人员可以登记挂钩联系的困难群众。")
    if organization.paired_street_id != community.parent_id:
        raise ValidationError({"organization": "只能选择挂包联系本街道的共建单位。"})
    link = HardshipLink(
        organization=organization,
        community=community,
        household_name=household_name.strip(),
        address=address.strip(),
        phone=(phone or "").strip(),
        situation=situation.strip(),
        started_on=started_on,
        created_by=by,
    )
    link.full_clean(exclude=["organization", "community", "created_by"])
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as error:
        # The partial unique index decided between two people saving the same household at once.
        raise ValidationError("该单位已在联系这户困难群众。") from error
    return link


@transaction.atomic
def end_link(*, link, by, ended_on=None):
    """Stop a link on `ended_on` (today by default): it still counts for the years it ran."""
    if not may_link(by, link.community):
        raise PermissionDenied("只有本社区工作人员可以结束挂钩联系。")
    ended_on = ended_on or timezone.localdate()
    locked = HardshipLink.objects.select_for_update().get(pk=link.pk)
    if locked.ended_on is not None:
        raise ValidationError("这项挂钩联系已经结束。")
    if ended_on < locked.started_on:
        raise ValidationError({"ended_on": "结束联系日期不能早于开始日期。"})
    locked.ended_on = ended_on
    locked.save(update_fields=["ended_on"])
    return locked
