"""按期换届: electing an organisation's committee (a new CommitteeTerm, ending the one before) and
approving an extension of a term. The one write path. Whether a term is due soon or overdue is not stored:
CommitteeTerm.state() and CommitteeTermQuerySet.overdue()/due_soon() compute it from the dates.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import CommitteeTerm, Role, TermLength


def add_years(date, years):
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


def term_years(organization):
    length = TermLength.objects.filter(organization_kind=organization.kind).first()
    if length is None:
        raise ValidationError(
            f"尚未设置{organization.get_kind_display()}的任期年限，请联系管理员在后台设置。"
        )
    return length.years


def elect_committee(*, organization, by, elected_on, number=None):
    """A new committee elected on `elected_on`: the active term (if any) ends that day, the new one
    runs for the organisation kind's configured years. Two elections at once: the second is refused
    by the one-active-term index and reported as a ValidationError."""
    if not by.keeps_records_of(organization):
        raise PermissionDenied("只有该党组织的书记或所在区域的工作人员可以登记换届。")
    if elected_on > timezone.localdate():
        raise ValidationError({"elected_on": "选举日期不能晚于今天。"})
    years = term_years(organization)
    try:
        with transaction.atomic():
            current = (
                CommitteeTerm.objects.select_for_update().filter(organization=organization).active().first()
            )
            last = CommitteeTerm.objects.filter(organization=organization).order_by("-number").first()
            if current is not None:
                if elected_on < current.elected_on:
                    raise ValidationError(
                        {"elected_on": f"选举日期不能早于上一届的选举日期 {current.elected_on}。"}
                    )
                current.ended_on = elected_on
                current.save(update_fields=["ended_on"])
            number = number or (last.number + 1 if last else 1)
            term = CommitteeTerm(
                organization=organization, number=number, elected_on=elected_on, years=years,
                regular_due_on=add_years(elected_on, years),
            )  # fmt: skip
            term.full_clean(exclude=["organization", "extension_approved_by"])
            term.save()
    except IntegrityError as error:
        raise ValidationError("该党组织的届次刚被他人更新，请刷新后再试。") from error
    return term


def extend_term(*, term, by, until, reason):
    """An approved extension of an active term to `until`, with the reason; approved by street or district
    staff over the organisation (a secretary cannot extend their own term)."""
    if not by.acts_as_any([Role.STREET_STAFF, Role.DISTRICT_ADMIN], term.organization.area):
        raise PermissionDenied("延期换届须由街道或区级工作人员批准。")
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = "请填写延期原因。"
    if until <= term.regular_due_on:
        errors["until"] = f"延期日期须晚于届满日期 {term.regular_due_on}。"
    elif until > add_years(term.regular_due_on, 1):
        errors["until"] = "延期一般不超过一年。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = CommitteeTerm.objects.select_for_update().get(pk=term.pk)
        if locked.ended_on is not None:
            raise ValidationError("该届已经换届，不能延期。")
        # A save (not an UPDATE) so the extension and its approver are in the term's change history.
        locked.extended_until, locked.extension_reason, locked.extension_approved_by = until, reason[:200], by
        locked.save(update_fields=["extended_until", "extension_reason", "extension_approved_by"])
    return locked
