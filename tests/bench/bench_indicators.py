"""The co-building units' yearly indicators on city-scale data, via gunicorn.

Target (issue 16): a street's indicator page ≤ 100 ms with a constant query count (pinned in
tests/services/test_indicators.py). Measured as the street's own staff on the street with the most
paired units, as 姑苏区's administrator (its streets summed up and its units), for the whole city (the
173 units of the 19 streets among all the city's units), and one unit's API.
"""

import sys

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from members.models import Organization, Role, User
from services import demo_indicators
from services.indicator_models import CobuildingAgreement
from sites.models import Area, AreaLevel

from .common import gunicorn, latency, queries_for, session_cookie


def ensure_indicators():
    """A city database built before the indicators existed gets their records now."""
    if CobuildingAgreement.objects.filter(year=timezone.localdate().year).count() <= len(
        demo_indicators.NAMED
    ):
        demo_indicators.seed(scale="city", stdout=sys.stdout)


def _staff(username, role, area):
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"role": role, "area": area, "is_staff": True, "is_superuser": area is None},
    )
    return user


def run(bench):
    ensure_indicators()
    street = (
        Area.objects.filter(level=AreaLevel.TOWN).annotate(n=Count("paired_units")).order_by("-n").first()
    )
    district = Area.objects.get(level=AreaLevel.DISTRICT, name="姑苏区")
    unit = Organization.objects.filter(paired_street=street).order_by("pk").first()
    units = Organization.objects.cobuilding()
    note = f"{units.count()} units in the city; {street.name}: {street.n}"
    board = reverse("services:indicator-board")
    street_staff = _staff("bench_ind_street", Role.STREET_STAFF, street)
    pages = [
        (f"indicators: a street's page, {street.n} units (street staff)", board, street_staff),
        (
            "indicators: 姑苏区's streets and units (district admin)",
            board,
            _staff("bench_ind_district", Role.DISTRICT_ADMIN, district),
        ),
        (
            "indicators: the whole city's streets and units (superuser)",
            board,
            _staff("bench_ind_city", Role.DISTRICT_ADMIN, None),
        ),
        (
            "indicators: /api/units/{id}/indicators/",
            reverse("services:api-unit-indicators", args=[unit.pk]),
            street_staff,
        ),
    ]
    with gunicorn() as base:
        for what, path, user in pages:
            figures = latency(base + path, headers=session_cookie(user))
            bench.row(
                what,
                median_ms=figures["median_ms"],
                p95_ms=figures["p95_ms"],
                queries=queries_for(path, user=user),
                note=f"HTTP {figures['status']}, {note}",
            )
