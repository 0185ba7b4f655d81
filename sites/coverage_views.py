"""The 15-minute coverage pages: per district, the communities outside every site's 1 km reach, as a
table and on a map. The figures come from sites/coverage.py (a fixed number of queries for the city)."""

from django.conf import settings
from django.shortcuts import get_object_or_404, render

from .coverage import by_district
from .geo import WALK_15_MIN_M
from .ids import parse_id
from .models import Area, AreaLevel
from .page_cache import public_page


def _area(request):
    """The city, or the district (or any area) ?area= names; None when the parameter is malformed."""
    if "area" not in request.GET or request.GET["area"] == "":
        return get_object_or_404(Area, level=AreaLevel.CITY)
    pk = parse_id(request.GET["area"])
    return None if pk is None else get_object_or_404(Area, pk=pk)


def _coverage_page(request, template, extra=lambda area, districts: {}):
    """The coverage of ?area= (default the city) by district, rendered with `template`; a malformed
    ?area= is a Chinese 400 on the same page."""
    area = _area(request)
    if area is None:
        message = "area 参数应为区域编号（正整数），如 ?area=12；不填则为全市。"
        return render(request, template, {"error": message}, status=400)
    districts = by_district(area)
    context = {"area": area, "districts": districts, "reach_m": WALK_15_MIN_M, "totals": _totals(districts)}
    return render(request, template, {**context, **extra(area, districts)})


@public_page("sites:coverage", "sites.Site", "sites.Area")
def coverage_list(request):
    return _coverage_page(
        request,
        "sites/coverage_list.html",
        lambda area, districts: {
            "district_choices": Area.objects.filter(level=AreaLevel.DISTRICT).order_by("path")
        },
    )


def _totals(districts):
    figures = [c for _d, c in districts]
    located = sum(c.located for c in figures)
    covered = sum(c.covered for c in figures)
    return {
        "communities": sum(c.communities for c in figures),
        "located": located,
        "covered": covered,
        "uncovered": located - covered,
        "unlocated": sum(c.unlocated for c in figures),
        "rate": covered / located if located else None,
    }


@public_page("sites:coverage-map", "sites.Site", "sites.Area")
def coverage_map(request):
    return _coverage_page(request, "sites/coverage_map.html", _map_context)


def _map_context(area, districts):
    """What coverage_map.js draws: each located community, red or green, over the district outlines."""
    points = [
        {
            "name": r.community.name,
            "town": r.community.parent.name,
            "lat": float(r.community.latitude),
            "lng": float(r.community.longitude),
            "covered": r.covered,
            "distance_m": r.distance_m,
            "site": r.site_name,
        }
        for _district, figures in districts
        for r in figures.reaches
        if r.located and r.community.latitude is not None
    ]
    outlines = Area.objects.filter(level=AreaLevel.DISTRICT).values(
        "id", "name", "latitude", "longitude", "boundary"
    )
    return {
        "map_config": {
            "gcj02": settings.MAP_TILES_GCJ02,
            "reach_m": WALK_15_MIN_M,
            "communities": points,
            "districts": [
                {**d, "latitude": float(d["latitude"] or 0), "longitude": float(d["longitude"] or 0)}
                for d in outlines
            ],
        }
    }
