"""Volunteers and points on city-scale data (100,000 volunteers, 2,000,000 points entries), via gunicorn.

Issue 14's targets: a volunteer's record ≤ 50 ms, a district's monthly ranking ≤ 200 ms.
"""

import time

from django.db.models import Count
from django.urls import reverse

from members import demo_points
from members.models import MonthlyRanking, PointsEntry, Role, User, Volunteer
from sites.models import Area, AreaLevel

from .common import gunicorn, latency, queries_for, session_cookie


def ensure_points_data():
    """A bench database built before the points existed gets them once."""
    if Volunteer.objects.filter(phone=demo_points.CITY_PHONE.format(0)).exists():
        return
    demo_points._rules(Area.objects.get(level=AreaLevel.CITY))
    started = time.perf_counter()
    demo_points.build_city(
        volunteers=demo_points.CITY_VOLUNTEERS, entries=demo_points.CITY_ENTRIES, stdout=_Print()
    )
    print(f"city-scale points built in {time.perf_counter() - started:.0f} s")


class _Print:
    def write(self, text):
        print(text)


def bench_volunteer():
    """A city volunteer (20 entries, like every one) with a login, so their record page can be served."""
    volunteer = Volunteer.objects.filter(phone=demo_points.CITY_PHONE.format(0)).get()
    if volunteer.user_id is None:
        user = User.objects.create(username="bench-volunteer", role=Role.VOLUNTEER, first_name=volunteer.name)
        Volunteer.objects.filter(pk=volunteer.pk).update(user=user)
        volunteer.refresh_from_db()
    return volunteer


def run(bench):
    from django.db import connection

    ensure_points_data()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    volunteer = bench_volunteer()
    year, month = MonthlyRanking.objects.order_by("-year", "-month").values_list("year", "month").first()
    district = (
        Area.objects.filter(level=AreaLevel.DISTRICT)
        .annotate(n=Count("children__children"))
        .order_by("-n")
        .first()
    )
    town = district.children.annotate(n=Count("children")).order_by("-n").first()
    admin = User.objects.filter(is_superuser=True).first()
    note = f"{Volunteer.objects.count()} volunteers, {PointsEntry.objects.count()} entries"
    ranking = reverse("volunteers:ranking")
    pages = [
        ("points: a volunteer's record /volunteers/me/", reverse("volunteers:me"), volunteer.user),
        ("points: their entries API /api/points/", reverse("volunteers:api-points-list"), volunteer.user),
        (
            f"points: a district's monthly ranking ({district.name}, its streets' lists)",
            f"{ranking}?area={district.pk}&year={year}&month={month}",
            None,
        ),
        (
            f"points: a street's monthly ranking ({town.name})",
            f"{ranking}?area={town.pk}&year={year}&month={month}",
            None,
        ),
        ("points: rewards catalogue /volunteers/rewards/", reverse("volunteers:rewards"), None),
        ("points: verification queue (superuser)", reverse("volunteers:review"), admin),
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
