"""The public pages: the 红色地图, the list of sites, a site, the area tree."""

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from .area_chain import chain, chains
from .filters import SiteFilter
from .models import Area, AreaLevel, Site
from .navigation import navigation_links
from .page_cache import public_page
from .tier_counts import tally

PAGE_SIZE = 30


def _map_config(*, fixed=None):
    """What map.js needs, handed over with json_script: the API, the tile datum, the district outlines."""
    districts = Area.objects.filter(level=AreaLevel.DISTRICT).values(
        "id", "name", "latitude", "longitude", "boundary"
    )
    return {
        "api": reverse("sites:api-site-collection"),
        "site_url": reverse("sites:site-detail", args=[0]),
        "gcj02": settings.MAP_TILES_GCJ02,
        "fixed": fixed or {},
        "districts": [
            {**d, "latitude": float(d["latitude"] or 0), "longitude": float(d["longitude"] or 0)}
            for d in districts
        ],
    }


def _site_filter(request):
    return SiteFilter(request.GET or None, queryset=Site.objects.active())


def _status(filterset):
    """400 for a bad query string: the page still renders, with the form saying what to fix."""
    return 400 if filterset.is_bound and not filterset.is_valid() else 200


def _page(request, queryset):
    """(page, error): a bad page number shows the first page with a message saying what to fix."""
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page") or 1), None
    except InvalidPage:
        return paginator.page(1), f"page 参数应为 1 到 {paginator.num_pages} 之间的页码。"


def _with_chains(sites):
    by_area = chains({site.area for site in sites})
    for site in sites:
        site.area_chain = by_area[site.area_id][1:]  # the city is the same for every site
    return sites


@public_page("sites:home", "sites.Area")
def home(request):
    filterset = _site_filter(request)
    towns = Area.objects.filter(level=AreaLevel.TOWN).values("id", "name", "parent_id")
    context = {
        "filter": filterset,
        "map_config": {**_map_config(), "towns": list(towns)},
    }
    return render(request, "sites/home.html", context, status=_status(filterset))


# The list and the area page show each site's hours 今日: their copies turn over at midnight in Shanghai.
TODAY = 24 * 3600


@public_page("sites:site-list", "sites.Site", "sites.Area", refresh_seconds=TODAY)
def site_list(request):
    filterset = _site_filter(request)
    valid = not filterset.is_bound or filterset.is_valid()
    sites = filterset.qs.select_related("area") if valid else Site.objects.none()
    page, page_error = _page(request, sites)
    _with_chains(page.object_list)
    context = {
        "filter": filterset,
        "page": page,
        "page_error": page_error,
        "querystring": _without_page(request),
    }
    status = 400 if page_error else _status(filterset)
    return render(request, "sites/site_list.html", context, status=status)


def _without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# Other apps add what they show here (rooms' free slots, organisations) from their AppConfig.ready().
@public_page("sites:site-detail", "sites.Site", "sites.Area", "sites.Venue")
def site_detail(request, pk):
    site = get_object_or_404(
        Site.objects.active().select_related("area").prefetch_related("venues", "organizations"), pk=pk
    )
    context = {
        "site": site,
        "area_chain": chain(site.area),
        "venues": site.venues.all(),
        "organizations": site.organizations.all(),
        "navigation_links": navigation_links(site),
        "map_config": {
            "gcj02": settings.MAP_TILES_GCJ02,
            "site": {
                "name": site.name,
                "tier": site.tier,
                "lat": float(site.latitude),
                "lng": float(site.longitude),
            },
        },
    }
    return render(request, "sites/site_detail.html", context)


@public_page("sites:area-index", "sites.Site", "sites.Area")
def area_index(request):
    districts = Area.objects.filter(level=AreaLevel.DISTRICT)
    rows, own, total = tally(Site.objects.active(), districts, parent_depth=1)
    return render(request, "sites/area_index.html", {"rows": rows, "own": own, "total": total})


@public_page("sites:area-detail", "sites.Site", "sites.Area", refresh_seconds=TODAY)
def area_detail(request, pk):
    area = get_object_or_404(Area, pk=pk)
    sites = Site.objects.active().within(area)
    rows, own, total = tally(sites, area.children.all(), parent_depth=area.depth)
    page, page_error = _page(request, sites.select_related("area"))
    _with_chains(page.object_list)
    context = {
        "area": area,
        "area_chain": chain(area),
        "rows": rows,
        "own": own,
        "total": total,
        "page": page,
        "page_error": page_error,
        "querystring": "",
        "map_config": _map_config(fixed={"area": area.pk}),
    }
    return render(request, "sites/area_detail.html", context, status=400 if page_error else 200)
