"""Booking check-in pages: the room's check-in page the QR code on its door opens, and the check-in itself.

The views parse input and show results; every rule lives in checkin.py (and no_shows.py for the hold).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sites.models import Venue

from . import checkin, no_shows
from .forms import LiftHoldForm
from .models import Booking
from .views import _visible_booking, staff_step_with_reason


@login_required
def room_checkin(request, pk):
    """Today's bookings of the room the signed-in person may check in (their own; staff: all of them),
    each with its check-in button or why it is not open. GET only shows: a scanned link checks nobody in."""
    venue = get_object_or_404(Venue.objects.select_related("site__area"), pk=pk)
    day = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time()))
    today = Booking.objects.filter(venue=venue, start__gte=day, start__lt=day + dt.timedelta(days=1))
    may_manage = request.user.can_manage(venue.site.area)
    if not may_manage:
        today = today.filter(organizer=request.user)
    now = timezone.now()
    rows = [
        (booking, checkin.check_in_problem(booking, now) if not booking.checked_in_at else "")
        for booking in today.select_related("organizer").order_by("start", "pk")
    ]
    return render(
        request,
        "services/room_checkin.html",
        {"venue": venue, "rows": rows, "may_manage": may_manage, "now": now},
    )


@login_required
@require_POST
def booking_checkin(request, pk):
    booking = _visible_booking(request, pk)
    try:
        first = checkin.check_in_booking(booking=booking, by=request.user)
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except checkin.CheckInRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"签到成功：{booking.title}" if first else "该预约已签到，无需重复签到。")
    return redirect("services:room-checkin", pk=booking.venue_id)


@login_required
@require_POST
def lift_hold(request, pk):
    """From the review queue: lift the no-show hold of the organiser of booking `pk` (a reason required)."""

    def lift(booking, reason):
        no_shows.lift_hold(organizer=booking.organizer, by=request.user, reason=reason)

    return staff_step_with_reason(
        request, pk, LiftHoldForm, "解除限制须填写原因。", lift,
        lambda booking: f"已解除 {booking.organizer} 的未到场限制；本条预约仍待审核。",
    )  # fmt: skip
