"""The services app's periodic jobs (listed in config/celery.py's BEAT_SCHEDULE)."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from members.notify import notify

from . import checkin
from .booking import booking_context
from .models import Booking, BookingStatus


@shared_task
def remind_tomorrows_bookings():
    """Remind each organiser of their confirmed bookings that start tomorrow (Asia/Shanghai).

    One reminder per booking (its key), so a second run, or a run after a restart, sends nothing more.
    Returns how many bookings were looked at.
    """
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    bookings = (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED, start__gte=start, start__lt=start + dt.timedelta(days=1)
        )
        .select_related("venue__site", "organizer")
        .order_by("start", "pk")
    )
    count = 0
    for booking in bookings.iterator(chunk_size=500):
        notify(
            recipient=booking.organizer,
            template="booking_reminder",
            context=booking_context(booking),
            key=f"booking:{booking.pk}:reminder",
        )
        count += 1
    return count


@shared_task
def release_no_shows():
    """Release the confirmed bookings nobody checked in to by 15 minutes after the start (未到场).

    Runs every five minutes; a released booking is no longer confirmed, so a second run changes nothing.
    Returns how many bookings this run released.
    """
    return len(checkin.release_no_shows())


@shared_task
def expire_past_needs():
    """Published needs past their wished-by date with nothing claimed expire (services.needs); returns
    how many. A second run the same day finds nothing more."""
    from .needs import expire_needs

    return expire_needs()


@shared_task
def check_demand_deadlines():
    """督办 and the resident's 7 days: mark overdue demands 超期 and tell their handler and community,
    escalate those a working day further to the street, close resolved demands left unrated for 7
    days. Idempotent (services/supervision.py, services/demands.py). Returns the three counts."""
    from .demands import close_expired
    from .supervision import check_deadlines

    marked, escalated = check_deadlines()
    return marked, escalated, close_expired()
