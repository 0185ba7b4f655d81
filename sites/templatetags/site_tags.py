from django import template
from django.utils import timezone
from leaflet.templatetags.leaflet_tags import leaflet_map

register = template.Library()


@register.filter
def hours_today(site):
    """The site's opening hours today (Asia/Shanghai), e.g. "09:00–17:00" or "不开放"."""
    return site.hours.label_on(timezone.localdate())


@register.inclusion_tag("sites/includes/leaflet_map.html")
def public_map(name):
    """django-leaflet's map without its inline set-up script: the options go in a data attribute and
    static/js/leaflet_init.js starts the map. No per-request nonce, so a page holding a map can be kept
    in the shared cache (sites/page_cache.py) and still run under `script-src 'self'`."""
    options = leaflet_map(name)
    return {"name": name, "djoptions": options["djoptions"], "loadevents": options["loadevents"]}
