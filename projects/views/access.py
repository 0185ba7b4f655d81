from django.core.exceptions import BadRequest
from django.utils import timezone

# Shared with every app's staff pages; imported here by the project views that use them.
from sites.staff_pages import friendly_400, page_of, staff_required  # noqa: F401

from ..forms import AreaYearForm


def this_year():
    return timezone.localdate().year


def valid_year(year):
    if not 2000 <= year <= 2100:
        raise BadRequest("年度应在 2000 到 2100 之间。")
    return year


def area_year(request):
    """?year=&area= as (year or None, area id or None); a bad value is a 400 naming what to fix."""
    form = AreaYearForm(request.GET)
    if not form.is_valid():
        raise BadRequest("；".join(e for errors in form.errors.values() for e in errors))
    return form.cleaned_data["year"], form.cleaned_data["area"]
