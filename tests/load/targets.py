"""What the load test needs from the database: `python -m tests.load.targets targets FILE|clean|overlaps`.

targets: makes the load organisers (password PASSWORD), removes their earlier bookings, so every run
books free slots, and writes the ids locust visits as JSON. overlaps: counts pairs of live bookings of one
room whose times overlap (the exclusion constraint makes it 0; the load test checks it anyway).
"""

import json
import os
import sys

import django

PASSWORD = "load-test-password"
ORGANISERS = 64


def targets(path):
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from members.models import Role, User
    from projects.models import Project
    from services.models import Booking
    from sites.models import Area, AreaLevel, Site, SiteTier, Venue

    names = [f"load_organizer_{n:02d}" for n in range(ORGANISERS)]
    for name in names:
        user, _ = User.objects.get_or_create(username=name, defaults={"role": Role.ORGANIZER})
        user.set_password(PASSWORD)
        user.save()
    clean()
    sites = Site.objects.active().order_by("?")
    communities = Project.objects.values_list("community_id", flat=True).distinct()[:200]
    areas = Area.objects.filter(level__in=[AreaLevel.DISTRICT, AreaLevel.TOWN])
    # Centre rooms open every day 09:00–17:30 under the default rules; only those nobody else has booked
    # ahead and without rules or closed dates of their own, so every slot the load test takes is free.
    booked_ahead = Booking.objects.live().filter(venue=OuterRef("pk"), end__gte=timezone.now())
    rooms = (
        Venue.objects.filter(
            site__tier=SiteTier.CENTER, site__is_active=True, booking_rules=None, closed_dates=None
        )
        .exclude(Exists(booked_ahead))
        .order_by("pk")
    )
    data = {
        "password": PASSWORD,
        "organisers": names,
        "sites": list(sites.values_list("pk", flat=True)[:500]),
        "areas": list(areas.values_list("pk", flat=True)),
        "communities": list(communities),
        "year": timezone.localdate().year,
        "points": [[float(lat), float(lng)] for lat, lng in sites.values_list("latitude", "longitude")[:200]],
        "center_rooms": list(rooms.values_list("pk", flat=True)),
    }
    with open(path, "w", encoding="utf-8") as out:
        json.dump(data, out)


def clean():
    """Before each run: the load organisers' bookings go, so the slots they take are free again."""
    from services.models import Booking

    Booking.objects.filter(organizer__username__startswith="load_organizer_").delete()


def overlaps():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM services_booking a JOIN services_booking b
              ON a.venue_id = b.venue_id AND a.id < b.id
             AND a.status IN ('pending', 'confirmed') AND b.status IN ('pending', 'confirmed')
             AND a.start < b."end" AND b.start < a."end"
            """
        )
        return cursor.fetchone()[0]


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    if sys.argv[1] == "targets":
        targets(sys.argv[2])
    elif sys.argv[1] == "clean":
        clean()
    else:
        print(overlaps())
