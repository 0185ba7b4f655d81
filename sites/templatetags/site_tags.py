from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def hours_today(site):
    """The site's opening hours today (Asia/Shanghai), e.g. "09:00–17:00" or "不开放"."""
    return site.hours.label_on(timezone.localdate())
