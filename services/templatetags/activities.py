"""Activity bits pages show: a site's upcoming activities, the check-in QR code at the door."""

from django import template

from services.models import Activity
from services.qr import absolute_qr

register = template.Library()

UPCOMING_ON_SITE_PAGE = 5


@register.inclusion_tag("services/includes/site_activities.html")
def site_activities(site):
    """The next few published activities at `site` (one query)."""
    upcoming = Activity.objects.published().upcoming().filter(site=site).cards()
    return {"activities": list(upcoming.order_by("start", "pk")[:UPCOMING_ON_SITE_PAGE]), "site": site}


@register.inclusion_tag("services/includes/checkin_qr.html", takes_context=True)
def checkin_qr(context, activity):
    """The QR code for the door: a phone's camera opens the activity's check-in page."""
    url, qr = absolute_qr(
        context["request"], "services:activity-checkin", [activity.pk], title="活动签到二维码"
    )
    return {"url": url, "qr": qr}
