"""The 红色地图 and the sites API on city-scale data: the whole city's GeoJSON, its 304, the list and an area.

Targets (issue 3): /api/sites/ for all ~5,100 sites ≤ 150 ms median through gunicorn on PostgreSQL,
and ≤ 15 ms for a 304.
"""

import statistics
import urllib.request

from tests.bench import common

GZIP = {"Accept-Encoding": "gzip"}


def cold_latency(url, touch, *, n=20):
    """Like common.latency, but the data changes before each request, so no cached map can answer."""
    timings = []
    for _ in range(n):
        touch()
        timings.append(common.latency(url, n=1, warmup=0, headers=GZIP)["median_ms"])
    timings.sort()
    return {"median_ms": statistics.median(timings), "p95_ms": timings[min(n - 1, int(n * 0.95))]}


def run(bench):
    from django.utils import timezone

    from sites.models import Area, AreaLevel, Site

    sites = Site.objects.active().count()
    district = Area.objects.filter(level=AreaLevel.DISTRICT).order_by("pk").first()
    api = "/api/sites/"
    pages = [
        ("list page /sites/", "/sites/", {}),
        ("list page, filtered by district and tier", f"/sites/?district={district.pk}&tier=station", {}),
        (f"area page ({district.name})", district.get_absolute_url(), {}),
        ("area index /areas/", "/areas/", {}),
        ("map page /", "/", {}),
    ]
    with common.gunicorn() as base:
        some_site = Site.objects.active().first()
        figures = cold_latency(
            base + api, lambda: Site.objects.filter(pk=some_site.pk).update(updated_at=timezone.now())
        )
        bench.row(
            f"/api/sites/ all {sites} sites, just changed (built and gzipped)",
            median_ms=figures["median_ms"],
            p95_ms=figures["p95_ms"],
            queries=common.queries_for(api),
        )
        figures = common.latency(base + api, headers=GZIP)
        bench.row(
            f"/api/sites/ all {sites} sites, unchanged (gzipped body from the cache)",
            median_ms=figures["median_ms"],
            p95_ms=figures["p95_ms"],
            queries=common.queries_for(api, headers={"HTTP_ACCEPT_ENCODING": "gzip"}),
            note=f"{figures['bytes'] // 1024} KiB gzipped",
        )
        figures = common.latency(base + api)
        bench.row(
            "/api/sites/ all sites, no gzip",
            median_ms=figures["median_ms"],
            p95_ms=figures["p95_ms"],
            note=f"{figures['bytes'] // 1024} KiB",
        )
        with urllib.request.urlopen(urllib.request.Request(base + api, headers=GZIP)) as response:
            etag = response.headers["ETag"]
        figures = common.latency(base + api, headers={**GZIP, "If-None-Match": etag})
        bench.row(
            "/api/sites/ unchanged (If-None-Match)",
            median_ms=figures["median_ms"],
            p95_ms=figures["p95_ms"],
            queries=common.queries_for(api, headers={"HTTP_IF_NONE_MATCH": etag}),
            note=f"status {figures['status']}",
        )
        path = f"{api}?district={district.pk}"
        figures = common.latency(base + path, headers=GZIP)
        bench.row(
            f"/api/sites/?district= ({district.name})",
            median_ms=figures["median_ms"],
            p95_ms=figures["p95_ms"],
            queries=common.queries_for(path),
        )
        for what, path, headers in pages:
            figures = common.latency(base + path, headers=headers)
            bench.row(
                what,
                median_ms=figures["median_ms"],
                p95_ms=figures["p95_ms"],
                queries=common.queries_for(path),
            )
