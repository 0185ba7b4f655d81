"""区域看板 on city-scale data: the city's, a district's and a community's dashboard with every section.

Target (issue 18): the city dashboard ≤ 300 ms with every section. The pages are measured through
gunicorn as a superuser; each section's function is also timed in-process for the city, to show which
figure family costs what.
"""

from django.utils import timezone

from tests.bench import common
from tests.bench.bench_coverage import timed

TABLES = [
    "sites_area", "sites_site", "services_booking", "projects_fundledgerentry", "services_need",
    "services_claim", "services_demand", "services_evaluation", "members_communityreporting",
    "members_volunteer", "members_pointsentry", "members_meeting", "members_committeeterm",
]  # fmt: skip


def run(bench):
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from members.models import User
    from projects import area_dashboard
    from sites.models import Area, AreaLevel

    if connection.vendor == "postgresql":
        # Bulk-loaded tables have no planner statistics yet: the ones the dashboard reads (a whole-database
        # ANALYZE takes minutes on city data).
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"ANALYZE {table}")
    year = timezone.localdate().year
    city = Area.objects.get(level=AreaLevel.CITY)
    district = (
        Area.objects.filter(level=AreaLevel.DISTRICT).annotate(n=Count("children")).order_by("-n").first()
    )
    community = Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("pk").first()

    parts = [
        ("sites", lambda: area_dashboard.sites_section(city)),
        *(
            (spec[0], lambda spec=spec: area_dashboard._monthly_section(spec, city, year))
            for spec in area_dashboard.MONTHLY
        ),  # fmt: skip
        ("meetings", lambda: area_dashboard.meetings_section(city, year)),
        ("coverage", lambda: area_dashboard.coverage_section(city)),
    ]
    for name, work in parts:
        with CaptureQueriesContext(connection) as queries:
            work()
        bench.row(f"dashboard section {name} (city), in-process", **timed(work, n=5), queries=len(queries))

    admin = User.objects.filter(is_superuser=True).first()
    cookie = common.session_cookie(admin)
    pages = [
        ("区域看板 of the city, every section", city),
        (f"区域看板 of {district.name}", district),
        (f"区域看板 of a community ({community.name})", community),
    ]
    with common.gunicorn() as base:
        for what, area in pages:
            path = f"{reverse('projects:area-dashboard', args=[area.pk])}?year={year}"
            figures = common.latency(base + path, n=15, headers=cookie)
            bench.row(what, median_ms=figures["median_ms"], p95_ms=figures["p95_ms"],
                      queries=common.queries_for(path, user=admin),
                      note=f"HTTP {figures['status']}, {figures['bytes'] // 1024} KiB")  # fmt: skip
        path = reverse("sites:area-detail", args=[city.pk])
        figures = common.latency(base + path, n=15)
        bench.row("area page of the city (public figures), uncached", median_ms=figures["median_ms"],
                  p95_ms=figures["p95_ms"], queries=common.queries_for(path))  # fmt: skip
