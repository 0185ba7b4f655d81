"""组织生活 on city-scale data (35,000 organisations, ≈600,000 meetings a year, a term each), via gunicorn.

Target (issue 18): a district's compliance list `/compliance/?area=<district>` ≤ 200 ms. Measured as the
district's admin, on the district with the most organisations; beside it an organisation's 组织生活 page
(as its street's staff), `/api/organizations/{id}/compliance/`, and in-process the area dashboard's
`compliance_summary` for that district and for the city. Query counts are pinned in
tests/members/test_meeting_pages.py and test_compliance_summary.py.
"""

import sys
import time

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from members.compliance import compliance_summary
from members.demo_meetings import CITY_MINUTES, build_city
from members.models import Meeting, Organization, OrganizationKind, Role, User
from sites.models import Area, AreaLevel

from .common import gunicorn, latency, queries_for, session_cookie


def ensure_meetings():
    """A city database built before 组织生活 existed gets its year of meetings and terms now."""
    if not Meeting.objects.filter(minutes=CITY_MINUTES).exists():
        build_city(stdout=sys.stdout)


def timed(work, n=10):
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"median_ms": timings[n // 2], "p95_ms": timings[min(n - 1, int(n * 0.95))]}


def run(bench):
    ensure_meetings()
    district = (
        Area.objects.filter(level=AreaLevel.DISTRICT)
        .annotate(n=Count("children__children__organizations"))
        .order_by("-n")
        .first()
    )
    city = Area.objects.get(level=AreaLevel.CITY)
    year = timezone.localdate().year
    admin, _ = User.objects.get_or_create(
        username="bench_district", defaults={"role": Role.DISTRICT_ADMIN, "area": district, "is_staff": True}
    )
    branches = Organization.objects.within(district).filter(kind=OrganizationKind.BRANCH).order_by("pk")
    branch = branches.filter(members__isnull=False).first() or branches.first()
    orgs = Organization.objects.within(district).count()
    note = f"{Organization.objects.count()} organisations, {Meeting.objects.count()} meetings"
    note += f"; {district.name}: {orgs}"
    for what, area in (("district", district), ("city", city)):
        bench.row(
            f"meetings: compliance_summary({what}), in-process",
            **timed(lambda area=area: compliance_summary(area, year)),
            queries=4,
            note=note if what == "district" else "",
        )
    pages = [
        (f"meetings: a district's compliance list /compliance/?area= ({district.name})",
         f"{reverse('members:compliance-list')}?area={district.pk}"),
        ("meetings: an organisation's 组织生活 page", reverse("members:organization-life", args=[branch.pk])),
        ("meetings: /api/organizations/{id}/compliance/",
         reverse("members:api-organization-compliance", args=[branch.pk])),
    ]  # fmt: skip
    cookie = session_cookie(admin)
    with gunicorn() as base:
        for what, path in pages:
            figures = latency(base + path, n=20, headers=cookie)
            bench.row(
                what,
                median_ms=figures["median_ms"],
                p95_ms=figures["p95_ms"],
                queries=queries_for(path, user=admin),
                note=f"HTTP {figures['status']}, {figures['bytes'] // 1024} KiB",
            )
