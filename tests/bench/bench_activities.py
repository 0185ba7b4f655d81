"""活动报名 on city-scale data (`seed_demo --scale city`: 50,000 activities over ~5,100 sites), measured
through gunicorn.

Targets (issue 15, PostgreSQL, gunicorn, 2 cores): /activities/ for a district ≤ 50 ms median; a site's
page with its activities within 10 % of the same page before activities (measure it on a checkout
without them). The query counts are pinned in tests/services/test_activity_pages.py (the list) and
tests/services/test_activity_feed_and_cover.py (the site page, the feed, the API).
"""

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
    ensure_activities()
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
