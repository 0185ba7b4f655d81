"""{% venue_free_slots site %}: each bookable room of a site with its free slots today, for the site page
and anything else that shows a site. Three queries whatever the number of rooms."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone

from services import availability

register = template.Library()


@register.inclusion_tag("services/includes/venue_free_slots.html")
def venue_free_slots(site, date=None):
    date = date or timezone.localdate()
    rooms = list(availability.bookable_rooms().filter(site=site).order_by("name"))
    plans = availability.plans(rooms, date, 1)
    now = timezone.now()
    return {
        "date": date,
        "rooms": [
            (
                room,
                [s for s in plans[room.pk][0].slots(now=now) if s[2] is None],
                plans[room.pk][0].closed_reason,
            )
            for room in rooms
        ],
    }


@register.simple_tag
def book_url(room, start, end):
    """The booking form of `room` with the span filled in (local time)."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    query = urlencode({"start": f"{start:%Y-%m-%dT%H:%M}", "end": f"{end:%Y-%m-%dT%H:%M}"})
    return f"{reverse('services:book', args=[getattr(room, 'pk', room)])}?{query}"
