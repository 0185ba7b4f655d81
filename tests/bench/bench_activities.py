"""活动报名 on city-scale data (`seed_demo --scale city`: 50,000 activities over ~5,100 sites), measured
through gunicorn.

Targets (issue 15, PostgreSQL, gunicorn, 2 cores): /activities/ for a district ≤ 50 ms median; a site's
page with its activities within 10 % of the same page before activities (served beside it by
tests/bench/wsgi_site_page_before_activities.py, the section taken out). The query counts are pinned in
tests/services/test_activity_pages.py (the list) and tests/services/test_activity_feed_and_cover.py (the
site page, the feed, the API).
"""

import statistics

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from services.demo_activities import CITY_DESCRIPTION, build_city
from services.models import Activity
from sites.models import Area, AreaLevel

from .common import gunicorn, latency, queries_for


def ensure_activities():
    """City data built before activities had a city scale gets them now, once."""
    if not Activity.objects.filter(description=CITY_DESCRIPTION).exists():
        build_city()


def run(bench):
    from django.db import connection

    ensure_activities()
    if connection.vendor == "postgresql":
        # Planner statistics for what the pages read: without them (a bulk load on a server whose autovacuum
        # is off) PostgreSQL guessed 7 upcoming activities for 16,800 and scanned the table (252 ms, not 44).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE services_activity, sites_site, sites_area")
    total = Activity.objects.count()
    gusu = Area.objects.get(level=AreaLevel.DISTRICT, name="姑苏区")
    busiest = (
        Activity.objects.published()
        .filter(end__gt=timezone.now())
        .values("site")
        .annotate(n=Count("pk"))
        .order_by("-n", "site")
        .first()
    )
    list_url = reverse("services:activity-list")
    cases = [
        ("activities: /activities/ for a district (姑苏区)", f"{list_url}?district={gusu.pk}"),
        ("activities: /activities/, all districts", list_url),
        (
            f"activities: a site's page with its activities ({busiest['n']} ahead)",
            reverse("sites:site-detail", args=[busiest["site"]]),
        ),
        (
            "activities: a site's iCalendar feed",
            reverse("services:site-activities-feed", args=[busiest["site"]]),
        ),
        (
            "activities: API list for one site (the map popup)",
            f"{reverse('services:api-activities')}?site={busiest['site']}",
        ),
    ]
    with gunicorn() as base:
        for what, path in cases:
            figures = latency(base + path)
            bench.row(
                what,
                median_ms=figures["median_ms"],
                p95_ms=figures["p95_ms"],
                queries=queries_for(path),
                note=f"HTTP {figures['status']}, {total} activities",
            )
    site_page_against_before(bench, reverse("sites:site-detail", args=[busiest["site"]]))


def site_page_against_before(bench, path, rounds=3):
    """The busiest site's page with its activities against the same page without the section (as before
    activities), both served at once and measured in turns, so a load change hits both alike."""
    with gunicorn() as now, gunicorn(app="tests.bench.wsgi_site_page_before_activities") as before:
        medians = {"with": [], "before": []}
        for _ in range(rounds):
            for key, base in (("with", now), ("before", before)):
                medians[key].append(latency(base + path, n=30)["median_ms"])
    with_ms, before_ms = (statistics.median(medians[key]) for key in ("with", "before"))
    ratio = with_ms / before_ms
    compared = f"; {ratio:.3f} × before ({(ratio - 1) * 100:+.1f} %, target ≤ +10 %)"
    for key, what in (("before", "before activities (section removed)"), ("with", "with its activities")):
        runs = ", ".join(f"{m:.1f}" for m in medians[key])
        bench.row(
            f"activities: the busiest site's page, {what}",
            median_ms=statistics.median(medians[key]),
            p95_ms=max(medians[key]),
            note=f"median of {rounds} rounds' medians ({runs} ms){compared if key == 'with' else ''}",
        )
