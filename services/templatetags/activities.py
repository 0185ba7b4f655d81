"""Activity bits other apps' pages show: a site's upcoming activities."""

from django import template

from services.models import Activity

register = template.Library()

UPCOMING_ON_SITE_PAGE = 5


@register.inclusion_tag("services/includes/site_activities.html")
def site_activities(site):
    """The next few published activities at `site` (one query)."""
    upcoming = Activity.objects.published().upcoming().filter(site=site).select_related("site", "venue")
    return {"activities": list(upcoming.order_by("start", "pk")[:UPCOMING_ON_SITE_PAGE]), "site": site}
