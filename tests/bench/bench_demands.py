"""Residents' demands on city-scale data (300,000 demands over a year), via gunicorn.

Issue 17's targets: a street's demand figures ≤ 150 ms, the staff inbox ≤ 50 ms.
"""

import time

from django.db.models import Count
from django.urls import reverse

from members.models import Role, User
from services import demo_demands
from services.models import Demand
from sites.models import Area, AreaLevel

from .common import gunicorn, latency, queries_for, session_cookie


class _Print:
    def write(self, text):
        print(text)


def ensure_demand_data():
    """A bench database built before the demands existed gets them once."""
    if Demand.objects.filter(raised_by__username="hotline").exists():
        return
    started = time.perf_counter()
    demo_demands.seed(scale="city", stdout=_Print())
    print(f"city-scale demands built in {time.perf_counter() - started:.0f} s")


def _staff(area, role, username):
    user = User.objects.filter(role=role, area=area).first()
    return user or User.objects.create(username=username, role=role, area=area, is_staff=True)


def run(bench):
    from django.db import connection

    ensure_demand_data()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    town = (
        Area.objects.filter(level=AreaLevel.TOWN)
        .annotate(n=Count("children__demands"))
        .order_by("-n")
        .first()
    )
    community = town.children.annotate(n=Count("demands")).order_by("-n").first()
    street_staff = _staff(town, Role.STREET_STAFF, "bench-street")
    community_staff = _staff(community, Role.COMMUNITY_STAFF, "bench-community")
    note = f"{Demand.objects.count()} demands"
    pages = [
        (f"demands: a street's figures ({town.name})", reverse("services:demand-figures"), street_staff),
        (
            f"demands: a community's inbox ({community.name})",
            reverse("services:demand-inbox"),
            community_staff,
        ),
        ("demands: the API list (street staff)", reverse("services:api-demands"), street_staff),
        (
            "demands: Open311 requests.json (90 days)",
            reverse("services:open311-requests", args=["json"]),
            None,
        ),
    ]
    with gunicorn() as base:
        for what, path, user in pages:
            figures = latency(base + path, headers=session_cookie(user) if user else None)
            bench.row(
                what,
                median_ms=figures["median_ms"],
                p95_ms=figures["p95_ms"],
                queries=queries_for(path, user=user),
                note=f"HTTP {figures['status']}, {note}",
            )
