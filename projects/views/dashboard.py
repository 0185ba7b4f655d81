"""Dashboards: the staff one for the viewer's area, and the same figures in public for any area."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from services.demand_figures import dashboard_figures
from sites.models import Area, AreaLevel
from sites.page_cache import public_page

from ..rollups import summarize
from .access import area_year, friendly_400, staff_required, this_year
from .public import GONGSHI_MODELS


def _year_and_area(request):
    year, area_id = area_year(request)
    return year or this_year(), area_id


def _ancestors(request, area, *, public):
    """The breadcrumb's areas above this one, each marked `linked` when its dashboard would open for the
    viewer: in public every one; for staff only those within their scope (a street's 苏州市 and 姑苏区 are
    plain names, since their dashboards are another area's: a 404)."""
    ancestors = list(area.ancestors())
    for ancestor in ancestors:
        ancestor.linked = public or request.user.can_manage(ancestor)
    return ancestors


def _render(request, summary, *, public):
    return render(
        request,
        "projects/dashboard.html",
        {
            "summary": summary,
            "public": public,
            # staff only: the public 公示 page is cached on the projects' tables alone
            "demand_figures": None if public else dashboard_figures(summary.area, summary.year),
            "chart_data": summary.chart_data(),
            "ancestors": _ancestors(request, summary.area, public=public),
            "years": range(this_year(), this_year() - 4, -1),
        },
    )


@staff_required
def staff_dashboard(request):
    year, area_id = _year_and_area(request)
    user = request.user
    if area_id:
        area = get_object_or_404(Area.objects.visible_to(user), pk=area_id)
    elif user.area_id:
        area = user.area
    else:  # superusers: the whole city
        area = get_object_or_404(Area, level=AreaLevel.CITY, parent=None)
    return _render(request, summarize(area, year), public=False)


# The year shown by default is this year's: the page turns over at midnight.
@public_page("projects:gongshi", *GONGSHI_MODELS, refresh_seconds=24 * 3600)
@friendly_400
def public_area(request, pk=None):
    """公示 by area: the city's, a district's or a street's figures, and links one level down."""
    year, area_id = _year_and_area(request)
    if pk is None and area_id:  # ?area= as on the staff dashboard: the area's own address
        return redirect(f"{reverse('projects:gongshi-area', args=[area_id])}?year={year}")
    if pk is None:
        area = Area.objects.filter(level=AreaLevel.CITY, parent=None).first()
        if area is None:
            return render(request, "projects/gongshi_empty.html")
    else:
        area = get_object_or_404(Area.objects.exclude(level=AreaLevel.GRID), pk=pk)
    return _render(request, summarize(area, year), public=True)
