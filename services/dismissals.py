"""不再推荐: the need's community staff (or its street's, district's) set a suggested resource aside, and
may take that back. The one write path for SuggestionDismissal; services.matching reads it."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from .claims import ClaimConflict, acts_for_community
from .dismissal_models import SuggestionDismissal


def dismiss_suggestion(*, need, resource, by, reason=""):
    """Leave `resource` out of `need`'s suggestions (and `need` out of the resource's). Returns the row."""
    _may_act(by, need)
    dismissal = SuggestionDismissal(need=need, resource=resource, by=by, reason=reason.strip())
    dismissal.full_clean(exclude=["need", "resource", "by"], validate_constraints=False)
    try:
        with transaction.atomic():
            dismissal.save()
    except IntegrityError:
        raise ClaimConflict(f"“{resource.title}”已设为不再推荐。") from None
    return dismissal


def restore_suggestion(*, need, resource, by):
    """Undo a dismissal: the pair is ranked again."""
    _may_act(by, need)
    deleted, _ = SuggestionDismissal.objects.filter(need=need, resource=resource).delete()
    if not deleted:
        raise ClaimConflict(f"“{resource.title}”没有被设为不再推荐。")


def _may_act(user, need):
    if not acts_for_community(user, need.community):
        raise PermissionDenied("只有该需求所在社区（或其上级）的工作人员可以调整推荐。")
