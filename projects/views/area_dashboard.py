"""区域看板: one area's figures from every app, for the staff of that area (and those above it)."""

from django.shortcuts import get_object_or_404, redirect, render

from sites.area_chain import chain
from sites.models import Area, AreaLevel

from ..area_dashboard import sections
from .access import area_year, staff_required, this_year


@staff_required
def area_dashboard(request, pk):
    """/areas/<id>/dashboard/?year=: staff see only their own area's subtree (another area: 404)."""
    year, _area = area_year(request)
    year = year or this_year()
    area = get_object_or_404(Area.objects.visible_to(request.user), pk=pk)
    # The chain holds the area itself: one query for the city as for a community.
    ancestors = chain(area)[:-1]
    for ancestor in ancestors:
        ancestor.linked = request.user.can_manage(ancestor)
    context = {
        "area": area,
        "year": year,
        "years": range(this_year(), this_year() - 4, -1),
        "ancestors": ancestors,
        "children": area.children.order_by("path"),
        "sections": sections(area, year),
    }
    return render(request, "projects/area_dashboard.html", context)


@staff_required
def my_area_dashboard(request):
    """/areas/dashboard/: the signed-in staff member's own area (the city for a superuser)."""
    area = request.user.area or get_object_or_404(Area, level=AreaLevel.CITY, parent=None)
    return redirect("projects:area-dashboard", area.pk)
