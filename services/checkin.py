"""Check-in for room bookings, and the release of bookings nobody came to (未到场). The one write path.

The organiser checks in at the room (the QR code on the room's door opens `/rooms/<id>/checkin/`), from
15 minutes before the start to the end; staff of the room's area may check in on their behalf. A
confirmed booking with nobody checked in 15 minutes after its start is released by the periodic job
(`services.tasks.release_no_shows`): status 未到场, which the exclusion constraint and the overlap check
no longer count, so the slot is free again, and the organiser is told.

A late check-in and the release may race: each is one conditional change of the booking's row (the check-in
an UPDATE … WHERE status = confirmed AND nobody checked in; the release locks the rows it finds and
PostgreSQL re-checks that condition after any lock it waited for), so exactly one of them wins and the
other finds nothing to do. An activity's booking is never released: an activity checks in its people.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .booking import notify_organizer
from .models import Activity, Booking, BookingStatus

CHECK_IN_OPENS = dt.timedelta(minutes=15)  # before the start
RELEASE_AFTER = dt.timedelta(minutes=15)  # after the start, with nobody checked in
# How far back the job looks: a booking older than this is not released any more (the job was down for
# a day, or the booking predates check-in); its room is long free and its organiser is not blamed.
RELEASE_LOOKBACK = dt.timedelta(days=1)


class CheckInRefused(Exception):
    """The booking cannot be checked in to now (too early, over, released, not confirmed). A 409."""


def may_check_in(booking, user):
    """The organiser, or staff of the room's area on their behalf."""
    return user.is_authenticated and (user.pk == booking.organizer_id or booking.is_managed_by(user))


def check_in_problem(booking, now=None):
    """Why nobody can check in to `booking` at `now` (a Chinese message), or '' while check-in is open."""
    now = now or timezone.now()
    if booking.status == BookingStatus.NO_SHOW:
        return "开始 15 分钟后无人签到，该预约已按未到场释放，不能再签到。"
    if booking.status != BookingStatus.CONFIRMED:
        return f"该预约{booking.get_status_display()}，不能签到。"
    opens = booking.start - CHECK_IN_OPENS
    if now < opens:
        return f"签到将于 {timezone.localtime(opens):%Y-%m-%d %H:%M} 开始（开始前 15 分钟）。"
    if now > booking.end:
        return "预约时段已结束，签到已关闭。"
    return ""


def check_in_booking(*, booking, by):
    """Check `booking` in (the organiser, or area staff for them): once; a second time changes nothing.

    Returns whether this call checked it in. Raises PermissionDenied or CheckInRefused.
    """
    if not may_check_in(booking, by):
        raise PermissionDenied("只有预约人或该区域的工作人员可以为该预约签到。")
    if booking.checked_in_at:
        return False
    now = timezone.now()
    problem = check_in_problem(booking, now)
    if problem:
        raise CheckInRefused(problem)
    # One conditional UPDATE: against a release running at this moment, one of the two wins.
    done = Booking.objects.filter(
        pk=booking.pk, status=BookingStatus.CONFIRMED, checked_in_at__isnull=True
    ).update(checked_in_at=now, checked_in_by=by)
    booking.refresh_from_db(fields=["status", "checked_in_at", "checked_in_by", "released_at"])
    if not done and booking.status == BookingStatus.NO_SHOW:
        raise CheckInRefused(check_in_problem(booking, now))
    return bool(done)


def open_at_room(venue, now=None):
    """The room's confirmed bookings whose check-in is open now (at most two: one ending, one starting)."""
    now = now or timezone.now()
    return Booking.objects.filter(
        venue=venue, status=BookingStatus.CONFIRMED, start__lte=now + CHECK_IN_OPENS, end__gte=now
    ).order_by("start")


def releasable(now):
    """Confirmed bookings of the last day nobody checked in to by 15 minutes after the start, leaving out
    activities' bookings (an activity checks its people in, not its booking)."""
    return Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        checked_in_at__isnull=True,
        start__lte=now - RELEASE_AFTER,
        start__gte=now - RELEASE_LOOKBACK,
    ).exclude(Exists(Activity.objects.filter(booking=OuterRef("pk"))))


def release_no_shows(now=None):
    """Release every booking nobody came to: 未到场, its slot free, its organiser told. Returns them.

    Idempotent: a released booking is no longer confirmed, so a second run finds nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Locked, so a check-in waiting on the row sees it released; skip_locked leaves a row a check-in
        # holds right now to that check-in (the next run looks again if it was not one).
        found = list(
            releasable(now)
            .select_for_update(of=("self",), skip_locked=True)
            .select_related("venue__site", "organizer")
            .order_by("start", "pk")
        )
        Booking.objects.filter(pk__in=[b.pk for b in found]).update(
            status=BookingStatus.NO_SHOW, released_at=now
        )
        for booking in found:
            booking.status, booking.released_at = BookingStatus.NO_SHOW, now
            notify_organizer(booking)
    return found
