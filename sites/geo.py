"""Distances on the ground, for "附近" and "free rooms near me".

The 15-minute walk (15分钟辐射圈) is ≈1.2 km along streets ≈ 1 km in a straight line. Search narrows
by a latitude/longitude box first (an indexed range on the site table), then measures each candidate
exactly with the haversine formula and sorts; no GIS extension needed on SQLite or PostgreSQL.
"""

import math
from decimal import Decimal

EARTH_RADIUS_M = 6_371_000
WALK_15_MIN_M = 1_000


def distance_m(lat1, lng1, lat2, lng2):
    """Great-circle distance in metres between two WGS-84 points."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(lat, lng, radius_m):
    """(min_lat, max_lat, min_lng, max_lng) enclosing the circle: the cheap indexed first cut."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlng = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(float(lat))), 1e-6)))
    lat, lng = float(lat), float(lng)
    return tuple(Decimal(f"{v:.6f}") for v in (lat - dlat, lat + dlat, lng - dlng, lng + dlng))


def nearest(queryset, lat, lng, *, radius_m=WALK_15_MIN_M, lat_field="latitude", lng_field="longitude"):
    """Objects of `queryset` within `radius_m` of the point, nearest first, each with `.distance_m` set.

    `lat_field`/`lng_field` name the coordinates' lookups (e.g. "site__latitude" for rooms).
    """
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, radius_m)
    candidates = queryset.filter(
        **{f"{lat_field}__range": (min_lat, max_lat), f"{lng_field}__range": (min_lng, max_lng)}
    )
    found = []
    for obj in candidates:
        point = _resolve(obj, lat_field), _resolve(obj, lng_field)
        obj.distance_m = round(distance_m(lat, lng, *point))
        if obj.distance_m <= radius_m:
            found.append(obj)
    return sorted(found, key=lambda o: o.distance_m)


def _resolve(obj, lookup):
    for part in lookup.split("__"):
        obj = getattr(obj, part)
    return obj
