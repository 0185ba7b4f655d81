"""Booking bits other apps' pages show: a room's free slots today, a link that starts a booking."""

from django import template
from django.urls import reverse
from django.utils import timezone

from services import availability
from services.forms import slot_query
from services.qr import absolute_qr

register = template.Library()


def today_free_slots(room_ids):
    """{room pk: (room, free hour slots left today, closed reason)} for the bookable ones: three queries."""
    rooms = list(availability.bookable_rooms().filter(pk__in=room_ids))
    today, now = timezone.localdate(), timezone.now()
    plans = availability.plans(rooms, today, 1)
    return {
        room.pk: (
            room,
            [s for s in plans[room.pk][0].slots(now=now) if s[2] is None],
            plans[room.pk][0].closed_reason,
        )
        for room in rooms
    }


@register.inclusion_tag("services/includes/venue_free_slots.html", takes_context=True)
def room_free_slots(context, venue):
    """One room's free slots today, for a list of a site's rooms (the `venues` in the context).

    The first call works out every listed room at once, so a site page costs three queries in all.
    """
    cache = context.render_context.setdefault("services_free_slots", {})
    first = not cache
    if venue.pk not in cache:
        listed = context.get("venues") or [venue]
        cache.update(dict.fromkeys([v.pk for v in listed]))
        cache.update(today_free_slots([v.pk for v in listed]))
    room, slots, closed_reason = cache.get(venue.pk) or (None, [], "")
    return {"room": room, "slots": slots, "closed_reason": closed_reason, "with_styles": first}


@register.simple_tag
def book_url(room, start, end):
    """The booking form of `room` with the span filled in (local time)."""
    return f"{reverse('services:book', args=[getattr(room, 'pk', room)])}?{slot_query(start, end)}"


@register.inclusion_tag("services/includes/calendar_feed.html", takes_context=True)
def calendar_feed_links(context, feed, label=""):
    """A private calendar address to subscribe to: the address with a copy button, a webcal: link that
    opens the phone's calendar app, and a QR code (SVG drawn on the server, so it works offline)."""
    url, qr = absolute_qr(
        context["request"], "services:calendar-feed", [feed.token], title="日历订阅地址二维码", scale=3
    )
    webcal = "webcal://" + url.split("://", 1)[1]
    return {"url": url, "webcal": webcal, "qr": qr, "label": label, "feed": feed}


@register.inclusion_tag("services/includes/room_checkin_qr.html", takes_context=True)
def room_checkin_qr(context, venue):
    """The room's check-in QR code for its door: organisers scan it to check their booking in."""
    url, qr = absolute_qr(context["request"], "services:room-checkin", [venue.pk], title="活动室签到二维码")
    return {"url": url, "qr": qr, "venue": venue}
