"""The party-member roster's one write path: enrol, edit, move between organisations, confirm (转正),
report to a community and end it, and the access log of personal data.

The admin, the staff pages, the API and the roster import all call these; each refuses with a
`ValidationError` whose messages are keyed by field, in Chinese. A member's row is locked while its
dated relations change, and the partial unique indexes (one active membership, one active reporting)
hold under any race: a lost race is the same friendly refusal.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sites.models import AreaLevel

from .id_numbers import parse_id_number
from .models import (
    AccessKind,
    CommunityReporting,
    Member,
    Membership,
    MemberStatus,
    OrganizationKind,
    PersonalDataAccess,
)

# What edit_member may change; status, organisation and ID number have their own functions.
EDITABLE = ("name", "gender", "birth_year", "phone", "joined_on", "confirmed_on", "workplace")


def _locked(member):
    """The member's row, locked for the rest of the transaction. The lock takes no joins: PostgreSQL
    would lock the organisation and area rows too (serialising a whole branch), and after waiting on a
    member whose organisation a concurrent move changed it re-checks the join against the old
    organisation and finds no row (DoesNotExist)."""
    return Member.objects.select_for_update().get(pk=member.pk)


def _require(by, area, field, message):
    if not by.can_manage(area):
        raise ValidationError({field: message})


# The party's founding: no date of a member's record lies before it (0001-01-01 is a typing slip).
EARLIEST = dt.date(1921, 7, 1)


def _not_future(day, field, label):
    if day > timezone.localdate():
        raise ValidationError({field: f"{label}不能晚于今天。"})
    if day < EARLIEST:
        raise ValidationError({field: f"{label}不能早于 1921 年 7 月 1 日，请核对年份。"})


def _check_group(organization, group):
    if group is not None and (group.kind != OrganizationKind.GROUP or group.parent_id != organization.pk):
        raise ValidationError({"group": f"党小组应是“{organization.name}”下属的党小组。"})


def _check_dates(status, joined_on, confirmed_on):
    if status == MemberStatus.PROBATIONARY and confirmed_on is not None:
        raise ValidationError({"confirmed_on": "预备党员还没有转正日期；转正请用“转为正式党员”。"})
    if joined_on and confirmed_on and confirmed_on < joined_on:
        raise ValidationError({"confirmed_on": "转正日期不能早于入党日期。"})
    for day, field, label in (
        (joined_on, "joined_on", "入党日期"),
        (confirmed_on, "confirmed_on", "转正日期"),
    ):
        if day:
            _not_future(day, field, label)


def _validated(member, fields):
    try:
        member.full_clean(exclude=["organization", "group", "user"], validate_constraints=False)
    except ValidationError as error:
        relevant = {k: v for k, v in error.message_dict.items() if k in fields or k == "__all__"}
        if relevant:
            raise ValidationError(relevant) from None


@transaction.atomic
def enrol_member(
    *,
    by,
    name,
    id_number,
    status,
    organization,
    since,
    group=None,
    gender="",
    birth_year=None,
    phone="",
    joined_on=None,
    confirmed_on=None,
    workplace="",
):
    """A new member with their first 组织关系 (from `since`). Gender and birth year default to what the
    身份证号 says; the number itself is kept only as its fingerprint and last four."""
    _require(by, organization.area, "organization", "只能为您管辖范围内的党组织登记党员。")
    try:
        parsed = parse_id_number(id_number)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None
    _check_group(organization, group)
    _check_dates(status, joined_on, confirmed_on)
    _not_future(since, "since", "转入日期")
    if Member.objects.filter(id_number_hash=parsed.fingerprint).exists():
        raise ValidationError({"id_number": "该身份证号的党员已登记，请在名册中查找。"})
    member = Member(
        name=name,
        gender=gender or parsed.gender,
        birth_year=birth_year or parsed.birth_date.year,
        phone=phone,
        id_number_hash=parsed.fingerprint,
        id_number_last4=parsed.last4,
        status=status,
        joined_on=joined_on,
        confirmed_on=confirmed_on,
        organization=organization,
        group=group,
        workplace=workplace,
    )
    _validated(member, {"name", "gender", "birth_year", "phone", "status", "workplace"})
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:  # the same number enrolled by someone else a moment ago
        raise ValidationError({"id_number": "该身份证号的党员已登记，请在名册中查找。"}) from None
    Membership.objects.create(member=member, organization=organization, group=group, since=since)
    return member


@transaction.atomic
def edit_member(*, member, by, changes):
    """Change the plain facts (EDITABLE); saves only the columns that changed."""
    _require(by, member.organization.area, "organization", "该党员不在您的管辖范围内。")
    refused = set(changes) - set(EDITABLE)
    if refused:
        raise ValidationError(
            dict.fromkeys(refused, "此项不能在这里修改：组织关系用“转接”，转正用“转为正式党员”。")
        )
    changed = [name for name, value in changes.items() if getattr(member, name) != value]
    for name in changed:
        setattr(member, name, changes[name])
    _check_dates(member.status, member.joined_on, member.confirmed_on)
    _validated(member, set(changed))
    if changed:
        member.save(update_fields=changed)
    return member


@transaction.atomic
def move_member(*, member, by, to, on, group=None):
    """组织关系转接: close the active membership on `on`, open one in `to` from `on`, and point the
    member at it; the history stays. Both organisations must lie in the mover's scope."""
    member = _locked(member)
    _require(by, member.organization.area, "organization", "该党员不在您的管辖范围内。")
    _require(by, to.area, "to", "转入的党组织不在您的管辖范围内：跨区域转接请由共同的上级党组织办理。")
    _check_group(to, group)
    _not_future(on, "on", "转接日期")
    current = member.memberships.active().first()
    if current is not None:
        if (current.organization_id, current.group_id) == (to.pk, group and group.pk):
            raise ValidationError({"to": "该党员的组织关系已在这里，无需转接。"})
        if on < current.since:
            raise ValidationError({"on": f"转接日期不能早于转入现组织的日期（{current.since:%Y-%m-%d}）。"})
        Membership.objects.filter(pk=current.pk).update(until=on)
    Membership.objects.create(member=member, organization=to, group=group, since=on)
    member.organization, member.group = to, group
    member.save(update_fields=["organization", "group"])
    return member


@transaction.atomic
def confirm_member(*, member, by, on):
    """预备党员转为正式党员 on `on`: the one-year 预备期 counts from the joining date."""
    member = _locked(member)
    _require(by, member.organization.area, "organization", "该党员不在您的管辖范围内。")
    if member.status != MemberStatus.PROBATIONARY:
        raise ValidationError({"status": "该党员已是正式党员。"})
    _not_future(on, "on", "转正日期")
    if member.joined_on:
        earliest = one_year_after(member.joined_on)
        if on < earliest:
            raise ValidationError(
                {"on": f"预备期为一年：转正日期不能早于 {earliest:%Y-%m-%d}（入党日期满一年）。"}
            )
    member.status, member.confirmed_on = MemberStatus.FULL, on
    member.save(update_fields=["status", "confirmed_on"])
    return member


def one_year_after(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def may_report(by, member, community):
    """The member themself, their own organisation's staff, or the community's staff."""
    return (member.user_id is not None and member.user_id == by.pk) or any(
        by.can_manage(area) for area in (member.organization.area, community)
    )


@transaction.atomic
def report_to_community(*, member, by, community, since, grid=None):
    """在职党员到社区报到: one active reporting per member (end the old one first)."""
    member = _locked(member)
    if community.level != AreaLevel.COMMUNITY:
        raise ValidationError({"community": "报到的应是村/社区。"})
    if not may_report(by, member, community):
        raise ValidationError({"community": "只有本人、所在党组织或该社区的工作人员可以办理报到。"})
    if grid is not None and (grid.level != AreaLevel.GRID or grid.parent_id != community.pk):
        raise ValidationError({"grid": f"服务网格应是“{community.name}”下的网格。"})
    _not_future(since, "since", "报到日期")
    if member.reportings.active().exists():
        raise ValidationError({"community": "该党员已在一个社区报到，请先结束原报到。"})
    try:
        with transaction.atomic():
            return CommunityReporting.objects.create(
                member=member, community=community, grid=grid, since=since
            )
    except IntegrityError:
        raise ValidationError({"community": "该党员已在一个社区报到，请先结束原报到。"}) from None


@transaction.atomic
def end_reporting(*, reporting, by, on):
    reporting = CommunityReporting.objects.select_for_update().get(pk=reporting.pk)
    if not may_report(by, reporting.member, reporting.community):
        raise ValidationError({"until": "只有本人、所在党组织或该社区的工作人员可以结束报到。"})
    if reporting.until is not None:
        raise ValidationError({"until": "这次报到已经结束。"})
    _not_future(on, "until", "结束日期")
    if on < reporting.since:
        raise ValidationError({"until": f"结束日期不能早于报到日期（{reporting.since:%Y-%m-%d}）。"})
    reporting.until = on
    reporting.save(update_fields=["until"])
    return reporting


def log_access(*, user, kind, what, count, filters=None, member_ids=()):
    """One row of the personal-data access log; written in the caller's transaction."""
    return PersonalDataAccess.objects.create(
        user=user,
        kind=kind,
        what=what[:200],
        filters=filters or {},
        member_ids=list(member_ids),
        count=count,
    )


def log_unmasked_view(*, user, member, what):
    return log_access(user=user, kind=AccessKind.UNMASKED_VIEW, what=what, count=1, member_ids=[member.pk])
