"""公示 pages, no login: a community's projects of a year (page, print, CSV, Excel) and the 百佳示范."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from sites.models import Area, AreaLevel
from sites.page_cache import public_page

from .. import disclosure
from ..models import Project
from .access import area_year, friendly_400, page_of, this_year, valid_year

SHOWCASE_PAGE = 24
# What the 公示 pages show: the projects with their steps, money and photos, the areas, the partners, and
# the community's sites (the phone to call).
GONGSHI_MODELS = (
    "projects.Project",
    "projects.ProjectStep",
    "projects.ProjectPhoto",
    "projects.Expense",
    "projects.CommunityFund",
    "projects.FundLedgerEntry",
    "sites.Area",
    "sites.Site",
    "members.Organization",
)


def _community(pk):
    return get_object_or_404(Area.objects.select_related("parent__parent"), pk=pk, level=AreaLevel.COMMUNITY)


@public_page("projects:gongshi-community", *GONGSHI_MODELS, refresh_seconds=24 * 3600)
@friendly_400
def community_year(request, community_id, year, fmt="html"):
    community = _community(community_id)
    year = valid_year(year)
    projects = list(disclosure.disclosed_projects(community, year))
    title = f"{community.parent.parent.name}{community.parent.name}{community.name} {year}年为民服务项目公示"
    if fmt == "csv":
        response = HttpResponse(disclosure.as_csv(projects), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            disclosure.as_xlsx(projects, title=title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        published, under_way = disclosure.for_page(projects)
        context = {
            "community": community,
            "year": year,
            "title": title,
            "projects": projects,
            "published": published,
            "under_way": under_way,
            "contact": disclosure.contact_phone(community),
            "gongshi_days": settings.GONGSHI_DAYS,
            "fund": disclosure.community_fund(community, year),
            "years": range(this_year(), this_year() - 4, -1),
            "private_payee": disclosure.PRIVATE_PAYEE,
        }
        return render(request, "projects/gongshi_community.html", context)
    filename = f"gongshi-{community.pk}-{year}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@friendly_400
def showcase(request):
    year, _ = area_year(request)
    projects = (
        Project.objects.filter(showcase=True)
        .select_related("community__parent__parent")
        .prefetch_related("photos")
        .order_by("-year", "community__path", "pk")
    )
    if year:
        projects = projects.filter(year=year)
    page = page_of(request, projects, SHOWCASE_PAGE)
    query = f"year={year}" if year else ""
    return render(request, "projects/showcase.html", {"page": page, "year": year, "query": query})
