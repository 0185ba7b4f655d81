"""iCalendar (RFC 5545) feeds of bookings, so they appear in a phone's calendar.

The `icalendar` library writes the format (CRLF lines, folding, escaping); times are UTC.
"""

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Booking

# A phone re-reads the whole feed each time: the recent past and everything ahead is enough.
FEED_PAST_DAYS = 90


def feed_bookings(feed):
    bookings = Booking.objects.live().filter(end__gte=timezone.now() - dt.timedelta(days=FEED_PAST_DAYS))
    if feed.venue_id:
        bookings = bookings.filter(venue=feed.venue_id)
    else:
        bookings = bookings.filter(organizer=feed.owner_id)
    return bookings.select_related("venue__site").order_by("start")


def build_calendar(feed):
    cal = Calendar()
    cal.add("prodid", "-//haitang//党群服务中心 场馆预约//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{feed.venue} 预约" if feed.venue_id else "我的场馆预约")
    stamp = timezone.now().astimezone(dt.UTC)
    for booking in feed_bookings(feed):
        event = Event()
        event.add("uid", f"booking-{booking.pk}@haitang")
        event.add("dtstamp", stamp)
        event.add("dtstart", booking.start.astimezone(dt.UTC))
        event.add("dtend", booking.end.astimezone(dt.UTC))
        # A room's feed is read by whoever holds its URL: the event shows what the room is used for,
        # not who booked it or how to reach them.
        event.add("summary", booking.title)
        event.add(
            "location", f"{booking.venue.site.name} {booking.venue.name}（{booking.venue.site.address}）"
        )
        event.add("status", "CONFIRMED" if booking.status == "confirmed" else "TENTATIVE")
        event.add("description", f"{booking.get_purpose_display()} · {booking.get_status_display()}")
        cal.add_component(event)
    return cal


def feed_response(feed):
    response = HttpResponse(build_calendar(feed).to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="bookings.ics"'
    return response
