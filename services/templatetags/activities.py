"""Activity bits pages show: a site's upcoming activities, the check-in QR code at the door."""

import segno
from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from services.models import Activity

register = template.Library()

UPCOMING_ON_SITE_PAGE = 5


@register.inclusion_tag("services/includes/site_activities.html")
def site_activities(site):
    """The next few published activities at `site` (one query)."""
    upcoming = Activity.objects.published().upcoming().filter(site=site).select_related("site", "venue")
    return {"activities": list(upcoming.order_by("start", "pk")[:UPCOMING_ON_SITE_PAGE]), "site": site}


@register.inclusion_tag("services/includes/checkin_qr.html", takes_context=True)
def checkin_qr(context, activity):
    """The QR code for the door: a phone's camera opens the activity's check-in page."""
    url = context["request"].build_absolute_uri(reverse("services:activity-checkin", args=[activity.pk]))
    # segno escapes the text it draws, so its SVG is safe to put in the page as it is.
    qr = segno.make(url, error="m").svg_inline(scale=6, border=2, title="活动签到二维码")
    return {"url": url, "qr": mark_safe(qr)}
