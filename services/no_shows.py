"""The no-show rule: an organiser with three no-shows in 90 days books only with staff approval.

`review_reason` is the one place the rule is asked; the booking write path (`services.booking`) sends
the next booking to the review queue with its answer as the reason. Area staff lift the hold with
`lift_hold`: a dated `NoShowLift`, after which the earlier no-shows no longer count.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sites.models import Area

from .models import Booking, BookingStatus, NoShowLift

NO_SHOW_LIMIT = 3
NO_SHOW_WINDOW = dt.timedelta(days=90)


def counted_no_shows(organizer, now=None):
    """The organiser's no-shows that count now: of the last 90 days, none lifted since (one query)."""
    now = now or timezone.now()
    lifted_since = NoShowLift.objects.filter(organizer=OuterRef("organizer"), lifted_at__gt=OuterRef("start"))
    return Booking.objects.filter(
        organizer=organizer, status=BookingStatus.NO_SHOW, start__gte=now - NO_SHOW_WINDOW
    ).exclude(Exists(lifted_since))


def review_reason(organizer, now=None):
    """Why `organizer`'s next booking needs approval (a Chinese sentence), or '' when it does not. One
    query: the organiser's no-shows come from the `(organizer, start)` index."""
    count = counted_no_shows(organizer, now).count()
    if count < NO_SHOW_LIMIT:
        return ""
    return f"近 90 天内 {count} 次预约未到场，需工作人员审核；工作人员可解除此限制。"


def lifting_areas(organizer, now=None):
    """The areas whose staff may lift the hold: those of the rooms the counted no-shows were in."""
    area_ids = counted_no_shows(organizer, now).values("venue__site__area")
    return Area.objects.filter(pk__in=area_ids)


def lift_hold(*, organizer, by, reason):
    """Lift `organizer`'s no-show hold (staff of the area of one of those rooms). Returns the NoShowLift."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "解除限制须填写原因。"})
    if not review_reason(organizer):
        raise ValidationError(f"{organizer} 目前没有未到场限制，无需解除。")
    if not any(by.can_manage(area) for area in lifting_areas(organizer)):
        raise PermissionDenied("只有未到场预约所在区域的工作人员可以解除限制。")
    return NoShowLift.objects.create(organizer=organizer, lifted_by=by, reason=reason)
