"""15-minute coverage on city-scale data: the city's coverage list and map, a district's, the figure.

Target (issue 18): the coverage list of the city ≤ 500 ms. The page is measured through gunicorn (with
REDIS_URL the shared page cache would answer a repeat, so run without it to measure the work); the
figure `coverage(city)` in-process, as a dashboard would call it.
"""

from tests.bench import common
from tests.bench.common import timed


def run(bench):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from sites.coverage import coverage
    from sites.models import Area, AreaLevel

    city = Area.objects.get(level=AreaLevel.CITY)
    district = Area.objects.filter(level=AreaLevel.DISTRICT).order_by("pk").first()
    with CaptureQueriesContext(connection) as queries:
        figure = coverage(city)
    note = f"{figure.communities} communities, {figure.covered} covered, {figure.unlocated} without location"
    bench.row("coverage(city), in-process", **timed(lambda: coverage(city)), queries=len(queries), note=note)
    pages = [
        ("coverage list of the city /coverage/", reverse("sites:coverage")),
        (f"coverage list of {district.name}", f"{reverse('sites:coverage')}?area={district.pk}"),
        ("coverage map of the city /coverage/map/", reverse("sites:coverage-map")),
    ]
    with common.gunicorn() as base:
        for what, path in pages:
            figures = common.latency(base + path, n=20)
            bench.row(what, median_ms=figures["median_ms"], p95_ms=figures["p95_ms"],
                      queries=common.queries_for(path), note=f"{figures['bytes'] // 1024} KiB")  # fmt: skip
