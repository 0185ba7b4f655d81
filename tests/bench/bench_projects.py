"""为民服务 dashboards and 公示 on city-scale data (2,000 communities, ≈20,000 projects), via gunicorn."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from members.models import User
from sites.models import Area, AreaLevel

from .common import gunicorn, latency, queries_for, session_cookie


def run(bench):
    from django.db import connection

    from projects.models import Project

    if connection.vendor == "postgresql":
        # Fresh bulk-loaded tables have no planner statistics until autovacuum gets to them; without
        # them PostgreSQL guesses 24 rows for 20,000 and picks nested loops (10x slower).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    year = timezone.localdate().year
    projects = Project.objects.filter(year=year).count()
    communities = Area.objects.filter(level=AreaLevel.COMMUNITY).count()
    note = f"{communities} communities, {projects} projects"
    admin = User.objects.filter(is_superuser=True).first()
    district = (
        Area.objects.filter(level=AreaLevel.DISTRICT).annotate(n=Count("children")).order_by("-n").first()
    )
    town = Area.objects.filter(level=AreaLevel.TOWN).annotate(n=Count("children")).order_by("-n").first()
    busiest = (
        Project.objects.filter(year=year).values("community").annotate(n=Count("pk")).order_by("-n").first()
    )
    dashboard = reverse("projects:dashboard")
    pages = [
        ("projects: city dashboard (staff, superuser)", f"{dashboard}?year={year}", admin),
        ("projects: district dashboard (staff)", f"{dashboard}?year={year}&area={district.pk}", admin),
        ("projects: street dashboard (staff)", f"{dashboard}?year={year}&area={town.pk}", admin),
        ("projects: public city summary /gongshi/", f"{reverse('projects:gongshi-index')}?year={year}", None),
        (
            f"projects: 公示 page of a community ({busiest['n']} projects)",
            reverse("projects:gongshi-community", args=[busiest["community"], year]),
            None,
        ),
        (
            "projects: 公示 Excel download",
            reverse("projects:gongshi-community-xlsx", args=[busiest["community"], year]),
            None,
        ),
        (
            "projects: staff project list (superuser)",
            f"{reverse('projects:project-list')}?year={year}",
            admin,
        ),
    ]
    cookie = session_cookie(admin)
    with gunicorn() as base:
        for what, path, user in pages:
            figures = latency(base + path, headers=cookie if user else None)
            bench.row(
                what,
                median_ms=figures["median_ms"],
                p95_ms=figures["p95_ms"],
                queries=queries_for(path, user=user),
                note=f"HTTP {figures['status']}, {note}",
            )
