"""Activity bits pages show: a site's upcoming activities, the check-in QR code at the door."""

from django import template

from services.activity_models import CARD_FIELDS
from services.qr import absolute_qr

register = template.Library()

UPCOMING_ON_SITE_PAGE = 5


@register.inclusion_tag("services/includes/site_activities.html")
def site_activities(site):
    """The next few published activities at `site` (one query, joining nothing: through `site.activities`
    each one's site is `site`, and its room is one of the site's rooms, which the page has loaded already).
    Django took longer building the joined query than PostgreSQL running it."""
    rooms = {room.pk: room for room in site.venues.all()}
    upcoming = site.activities.published().upcoming().only(*CARD_FIELDS, "site", "venue")
    activities = list(upcoming.order_by("start", "pk")[:UPCOMING_ON_SITE_PAGE])
    for activity in activities:
        if activity.venue_id in rooms:  # unless outdoors: publish_activity refuses another site's room
            activity.venue = rooms[activity.venue_id]
    return {"activities": activities, "site": site}


@register.inclusion_tag("services/includes/checkin_qr.html", takes_context=True)
def checkin_qr(context, activity):
    """The QR code for the door: a phone's camera opens the activity's check-in page."""
    url, qr = absolute_qr(
        context["request"], "services:activity-checkin", [activity.pk], title="活动签到二维码"
    )
    return {"url": url, "qr": qr}
