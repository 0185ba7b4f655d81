"""iCalendar (RFC 5545) feeds of bookings and of a site's activities, so they appear in a phone's calendar.

The `icalendar` library writes the format (CRLF lines, folding, escaping); times are UTC.
"""

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Activity, ActivityStatus, Booking

# A phone re-reads the whole feed each time: the recent past and everything ahead is enough.
FEED_PAST_DAYS = 90


def feed_bookings(feed):
    bookings = Booking.objects.live().filter(end__gte=timezone.now() - dt.timedelta(days=FEED_PAST_DAYS))
    if feed.venue_id:
        bookings = bookings.filter(venue=feed.venue_id)
    else:
        bookings = bookings.filter(organizer=feed.owner_id)
    return bookings.select_related("venue__site").order_by("start")


def _calendar(product, name):
    cal = Calendar()
    cal.add("prodid", f"-//haitang//党群服务中心 {product}//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def _event(uid, start, end, stamp):
    event = Event()
    event.add("uid", f"{uid}@haitang")
    event.add("dtstamp", stamp)
    event.add("dtstart", start.astimezone(dt.UTC))
    event.add("dtend", end.astimezone(dt.UTC))
    return event


def build_calendar(feed):
    cal = _calendar("场馆预约", f"{feed.venue} 预约" if feed.venue_id else "我的场馆预约")
    stamp = timezone.now().astimezone(dt.UTC)
    for booking in feed_bookings(feed):
        event = _event(f"booking-{booking.pk}", booking.start, booking.end, stamp)
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


def _response(cal, filename):
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def feed_response(feed):
    return _response(build_calendar(feed), "bookings.ics")


# A public feed: enough for a year of a busy centre, and a bound on what one request reads.
SITE_FEED_MAX_EVENTS = 500


def site_activities_calendar(site, *, base_url):
    """A site's activities from the recent past on: cancelled ones stay in, marked CANCELLED, so a
    calendar that subscribed drops them rather than keeping a stale event."""
    cal = _calendar("活动报名", f"{site.name} 活动")
    stamp = timezone.now().astimezone(dt.UTC)
    activities = (
        Activity.objects.filter(site=site, end__gte=timezone.now() - dt.timedelta(days=FEED_PAST_DAYS))
        .select_related("site", "venue")
        .order_by("start", "pk")[:SITE_FEED_MAX_EVENTS]
    )
    for activity in activities:
        event = _event(f"activity-{activity.pk}", activity.start, activity.end, stamp)
        event.add("summary", activity.title)
        event.add("location", f"{activity.place_label}（{site.address}）")
        event.add("url", base_url + activity.get_absolute_url())
        cancelled = activity.status == ActivityStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add(
            "description",
            f"{activity.get_kind_display()} · 名额 {activity.capacity} 人，已报名 {activity.places_taken} 人"
            + ("（已取消）" if cancelled else "")
            + (f"\n{activity.description}" if activity.description else ""),
        )
        cal.add_component(event)
    return cal


def site_activities_response(site, *, base_url):
    return _response(site_activities_calendar(site, base_url=base_url), f"site-{site.pk}-activities.ics")
