"""三张清单 on city-scale data (20,000 needs, 5,000 resources, 30,000 claims), via gunicorn.

What issue 16 asks to stay fast: the public board of a district, a need's page with its suggested
resources, a resource's page with the needs it could meet, and a whole street's suggestions in one
query (services.matching, in-process, as a street's page would call it).
"""

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Role, User
from services import matching
from services.models import Need, NeedStatus, Resource, ResourceStatus
from sites.models import Area, AreaLevel

from .common import gunicorn, latency, queries_for, session_cookie, timed


def run(bench):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    open_needs = Need.objects.filter(status=NeedStatus.PUBLISHED)
    street = (
        Area.objects.filter(level=AreaLevel.TOWN).annotate(n=Count("children__needs")).order_by("-n").first()
    )
    district = street.parent
    need = open_needs.filter(community__parent=street).order_by("-quantity", "pk").first()
    resource = Resource.objects.filter(status=ResourceStatus.PUBLISHED, street=street).order_by("pk").first()
    staff = User.objects.filter(role=Role.COMMUNITY_STAFF, area=need.community).first()
    staff = staff or User.objects.create(
        username="bench-lists", role=Role.COMMUNITY_STAFF, area=need.community, is_staff=True
    )
    note = (
        f"{Need.objects.count()} needs, {Resource.objects.count()} resources; "
        f"{street.name}: {open_needs.filter(community__parent=street).count()} open needs, "
        f"{Resource.objects.filter(street=street).count()} resources"
    )

    with CaptureQueriesContext(connection) as queries:
        found = matching.suggestions_for_street(street)
    bench.row(
        f"lists: a street's suggestions, one query ({street.name})",
        **timed(lambda: matching.suggestions_for_street(street)),
        queries=len(queries),
        note=f"{sum(len(v) for v in found.values())} suggestions for {len(found)} needs; {note}",
    )
    board = f"{reverse('services:need-list')}?district={district.pk}"
    suggestions_api = reverse("services:api-need-suggestions", args=[need.pk])
    resource_page = reverse("services:resource-detail", args=[resource.pk])
    pages = [
        (f"lists: /needs/ board of a district ({district.name})", board, None),
        ("lists: a need's page with suggestions (anonymous)", need.get_absolute_url(), None),
        ("lists: a need's page with suggestions (its community's staff)", need.get_absolute_url(), staff),
        ("lists: /api/needs/{id}/suggestions/", suggestions_api, None),
        ("lists: a resource's page with the needs it could meet", resource_page, None),
    ]
    with gunicorn() as base:
        for what, path, user in pages:
            figures = latency(base + path, n=20, headers=session_cookie(user) if user else None)
            bench.row(
                what,
                median_ms=figures["median_ms"],
                p95_ms=figures["p95_ms"],
                queries=queries_for(path, user=user),
                note=f"HTTP {figures['status']}, {figures['bytes'] // 1024} KiB",
            )
