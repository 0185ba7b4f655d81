"""How a demand's deadline reads: the date and the time in Suzhou, with the weekday, and how far it is."""

from django import template
from django.utils import timezone

from ..working_days import LOCAL

register = template.Library()
WEEKDAYS = "一二三四五六日"


@register.filter
def deadline_label(moment):
    """2026-10-09 23:59（周五）; an empty string for no deadline (not yet 受理)."""
    if moment is None:
        return ""
    local = moment.astimezone(LOCAL)
    return f"{local:%Y-%m-%d %H:%M}（周{WEEKDAYS[local.weekday()]}）"


@register.filter
def is_past(moment):
    return moment is not None and moment < timezone.now()


@register.filter
def figure(values, key):
    """A figure's value from a row's values (None when its denominator is 0)."""
    return values.get(key)
