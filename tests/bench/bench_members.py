"""The party-member roster on city-scale data (560,000 members in 35,000 organisations), via gunicorn.

Target (issue 14): a street's member roster page ≤ 100 ms, with a constant query count (pinned in
tests/members/test_roster_pages.py). Measured as the street's own staff member, on the street with the
most members, first page and a later one; the reporting list and the API beside it.
"""

import sys
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from members.demo_people import build_city_members
from members.models import Member, Role, User
from sites.models import Area, AreaLevel

from .common import gunicorn, latency, queries_for, session_cookie

TOTAL = 560_000


def ensure_members():
    """A city database built before the roster existed gets its members now."""
    if Member.objects.count() < TOTAL * 9 // 10:
        build_city_members(total=TOTAL, stdout=sys.stdout)


def run(bench):
    ensure_members()
    street = (
        Area.objects.filter(level=AreaLevel.TOWN)
        .annotate(n=Count("children__organizations__members"))
        .order_by("-n")
        .first()
    )
    staff, _ = User.objects.get_or_create(
        username="bench_street", defaults={"role": Role.STREET_STAFF, "area": street, "is_staff": True}
    )
    count = Member.objects.visible_to(staff).count()
    note = f"{Member.objects.count()} members; {street.name}: {count}"
    roster = reverse("members:member-list")
    pages = [
        ("members: a street's roster, page 1 (street staff)", roster),
        ("members: a street's roster, page 20", f"{roster}?page=20"),
        (
            "members: roster filtered by status and name",
            reverse("members:member-list") + "?" + urlencode({"status": "full", "q": "王"}),
        ),
        ("members: the street's reporting list", reverse("members:reporting-list")),
        ("members: /api/members/ (street staff)", reverse("members:api-member-list")),
        ("members: /api/reportings/ (street staff)", reverse("members:api-reporting-list")),
    ]
    cookie = session_cookie(staff)
    with gunicorn() as base:
        for what, path in pages:
            figures = latency(base + path, headers=cookie)
            bench.row(
                what,
                median_ms=figures["median_ms"],
                p95_ms=figures["p95_ms"],
                queries=queries_for(path, user=staff),
                note=f"HTTP {figures['status']}, {note}",
            )
