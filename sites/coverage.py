"""15-minute coverage (15分钟辐射圈, issue 18 item 6): how far each community is from the nearest active site.

A community is reached when an active site lies within 1 km in a straight line (DESIGN.md: the
15-minute walk ≈ 1.2 km along streets ≈ 1 km straight line, `geo.WALK_15_MIN_M`), measured from

- its centre point (`Area.latitude/longitude`): in the database, for a whole district (or the city) in
  one query: per community a correlated subquery takes the sites in a box around it (the indexed
  latitude/longitude range, as `geo.nearest` does), measures them with the haversine formula written as
  SQL (Django's math functions, on SQLite and PostgreSQL alike) and keeps the smallest distance;
- its boundary, when one is loaded (`Area.boundary`, a GeoJSON polygon): 0 for a site inside it, else
  the distance to its nearest edge. SQL without a GIS extension cannot measure a polygon, so these are
  measured here on the candidate sites of one more query (the sites in the boundaries' box).

Distances are sought up to `SEARCH_M` (3 km): a community farther than that from every site shows
"3 公里以上". A community with neither a point nor a boundary has no location: listed apart, left out
of the rate. `coverage(area)` is the figure (覆盖率) a dashboard shows, for any area's subtree.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import ASin, Cast, Cos, Power, Radians, Sin, Sqrt

from .geo import EARTH_RADIUS_M, WALK_15_MIN_M, bounding_box
from .models import Area, AreaLevel, Site

SEARCH_M = 3_000


def _box(radius_m):
    """Half a box's height and width in degrees. The width holds up to 35°N (Suzhou lies at 30.7–32.0°N):
    a wider box only costs a few more candidates, never a missed site."""
    return (
        math.degrees(radius_m / EARTH_RADIUS_M),
        math.degrees(radius_m / (EARTH_RADIUS_M * math.cos(math.radians(35)))),
    )


def _float(expression):
    return Cast(expression, FloatField())


def haversine_m(lat1, lng1, lat2, lng2):
    """The great-circle distance in metres between two points as a database expression (sites.geo's)."""
    p1, p2 = Radians(lat1), Radians(lat2)
    half_dp = (p2 - p1) / Value(2.0)
    half_dl = (Radians(lng2) - Radians(lng1)) / Value(2.0)
    a = Power(Sin(half_dp), 2) + Cos(p1) * Cos(p2) * Power(Sin(half_dl), 2)
    return ExpressionWrapper(Value(2.0 * EARTH_RADIUS_M) * ASin(Sqrt(a)), output_field=FloatField())


def _plus(column, degrees):
    """The outer row's `column` plus `degrees`, as a decimal like the column it is compared with (a float
    would make PostgreSQL cast the site's column and skip its index)."""
    return ExpressionWrapper(
        OuterRef(column) + Value(Decimal(f"{degrees:.6f}")),
        output_field=DecimalField(max_digits=9, decimal_places=6),
    )


# The nearest site as one number: centimetres × 10⁹ + the site's id (ids stay below 10⁹), so one
# correlated subquery sorted by it gives both the distance and which site. Two subqueries (distance, id)
# would measure every candidate twice, and SQLite cannot sort a subquery by an expression that names the
# outer row unless that expression is the selected column.
KEY_ID_SPAN = 10**9


def _nearest_key(radius_m):
    """The subquery: the nearest active site in the box of `radius_m` around the outer row's point, as its
    key. The distance is truncated to whole centimetres (a cast, not a rounding: cheaper per candidate)."""
    lat, lng = _float(OuterRef("latitude")), _float(OuterRef("longitude"))
    centimetres = Cast(haversine_m(lat, lng, _float("latitude"), _float("longitude")) * Value(100.0),
                       BigIntegerField())  # fmt: skip
    dlat, dlng = _box(radius_m)
    nearest = (
        Site.objects.active()
        .filter(
            latitude__gte=_plus("latitude", -dlat),
            latitude__lte=_plus("latitude", dlat),
            longitude__gte=_plus("longitude", -dlng),
            longitude__lte=_plus("longitude", dlng),
        )
        .annotate(key=ExpressionWrapper(centimetres * Value(KEY_ID_SPAN) + F("pk"), BigIntegerField()))
        .order_by("key")
        .values("key")[:1]
    )
    return Subquery(nearest, output_field=BigIntegerField())


def _nearest(communities, radius_m):
    """{community pk: (metres, site pk)} for those of `communities` with an active site within
    `radius_m` of their centre: one query."""
    found = {}
    for pk, key in communities.annotate(near=_nearest_key(radius_m)).values_list("pk", "near"):
        if key is not None and key // KEY_ID_SPAN <= radius_m * 100:
            found[pk] = (round(key // KEY_ID_SPAN / 100), key % KEY_ID_SPAN)
    return found


@dataclass
class Reach:
    """One community's distance to the nearest active site (None: none within SEARCH_M, or no location)."""

    community: Area
    distance_m: int | None
    site_id: int | None = None
    site_name: str = ""
    measured_from: str = ""  # "boundary", "centre" or "" (no location)

    @property
    def located(self):
        return bool(self.measured_from)

    @property
    def covered(self):
        return self.distance_m is not None and self.distance_m <= WALK_15_MIN_M


@dataclass
class Coverage:
    """The 覆盖率 of an area's subtree: communities reached / communities with a location."""

    communities: int
    located: int
    covered: int
    reaches: list = field(default_factory=list, repr=False)

    @property
    def unlocated(self):
        return self.communities - self.located

    @property
    def rate(self):
        """A fraction from 0 to 1, or None when no community has a location yet."""
        return self.covered / self.located if self.located else None

    @property
    def uncovered(self):
        return [r for r in self.reaches if r.located and not r.covered]

    @property
    def without_location(self):
        return [r for r in self.reaches if not r.located]


def communities_of(area):
    return Area.objects.subtree(area).filter(level=AreaLevel.COMMUNITY)


def reaches(area):
    """A Reach for every community in `area`'s subtree, in tree order, in a fixed number of queries
    whatever the size: the communities, the nearest site within 1 km of each, for those without one the
    nearest within 3 km (most communities are reached, and a 1 km box holds a ninth of the candidates a
    3 km one does), the sites' names, and the boundaries' candidate sites when some are loaded."""
    # The street's and district's outlines are large and not needed here: not read.
    rows = list(
        communities_of(area)
        .select_related("parent__parent")
        .defer("parent__boundary", "parent__parent__boundary")
        .order_by("path")
    )
    located = communities_of(area).filter(latitude__isnull=False, longitude__isnull=False)
    nearest = _nearest(located, WALK_15_MIN_M)
    farther = [
        c.pk for c in rows if c.latitude is not None and c.longitude is not None and c.pk not in nearest
    ]
    if farther:
        nearest.update(_nearest(Area.objects.filter(pk__in=farther), SEARCH_M))
    names = dict(Site.objects.filter(pk__in={pk for _d, pk in nearest.values()}).values_list("pk", "name"))
    found = []
    outlined = []
    for community in rows:
        if community.boundary and _rings(community.boundary):
            outlined.append(community)
            found.append(Reach(community, None, measured_from="boundary"))
        elif community.latitude is not None and community.longitude is not None:
            distance, site = nearest.get(community.pk, (None, None))
            found.append(Reach(community, distance, site, names.get(site, ""), "centre"))
        else:
            found.append(Reach(community, None))
    if outlined:
        _measure_boundaries([r for r in found if r.measured_from == "boundary"])
    return found


def coverage(area):
    """The coverage figure for `area`'s subtree (a city, district, street or community)."""
    found = reaches(area)
    return Coverage(
        communities=len(found),
        located=sum(r.located for r in found),
        covered=sum(r.covered for r in found),
        reaches=found,
    )


def by_district(area):
    """[(district, Coverage)] for the districts in `area`'s subtree (the district itself for a district or
    below), from one `reaches` over the whole subtree."""
    found = reaches(area)
    groups = {}
    for reach in found:
        district = _district_of(reach.community)
        groups.setdefault(district.pk, (district, []))[1].append(reach)
    return [
        (district, Coverage(len(rs), sum(r.located for r in rs), sum(r.covered for r in rs), rs))
        for district, rs in groups.values()
    ]


def _district_of(community):
    """The community's district, from the parent chain select_related brought (no query)."""
    return community.parent.parent


# --- boundaries ---------------------------------------------------------------------------------------


def _rings(geometry):
    """The outer rings of a GeoJSON Polygon/MultiPolygon (or a Feature of one) as [(lng, lat)] lists."""
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict):
        return []  # not a polygon we can measure: the centre point is used instead
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    try:
        polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
        return [[(float(p[0]), float(p[1])) for p in polygon[0]] for polygon in polygons if polygon]
    except (TypeError, ValueError, IndexError):
        return []


def _measure_boundaries(outlined):
    """Set each outlined community's distance: one query for the sites in all their boxes, then geometry."""
    rings = {r.community.pk: _rings(r.community.boundary) for r in outlined}
    points = [p for rs in rings.values() for ring in rs for p in ring]
    min_lat, _, min_lng, _ = bounding_box(min(p[1] for p in points), min(p[0] for p in points), SEARCH_M)
    _, max_lat, _, max_lng = bounding_box(max(p[1] for p in points), max(p[0] for p in points), SEARCH_M)
    sites = list(
        Site.objects.active()
        .filter(Q(latitude__range=(min_lat, max_lat)), Q(longitude__range=(min_lng, max_lng)))
        .values_list("pk", "name", "latitude", "longitude")
    )
    for reach in outlined:
        best = None
        for pk, name, lat, lng in sites:
            d = polygon_distance_m(rings[reach.community.pk], float(lat), float(lng))
            if d <= SEARCH_M and (best is None or d < best[0]):
                best = (d, pk, name)
        if best:
            reach.distance_m, reach.site_id, reach.site_name = round(best[0]), best[1], best[2]


def polygon_distance_m(rings, lat, lng):
    """Metres from (lat, lng) to the polygon(s): 0 inside, else to the nearest edge.

    Edges are measured in a local flat projection around the point (metres east and north), which at a
    few kilometres differs from the great circle by far less than a metre.
    """
    if any(_inside(ring, lat, lng) for ring in rings):
        return 0.0
    kx = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(lat))
    ky = math.radians(1) * EARTH_RADIUS_M
    best = math.inf
    for ring in rings:
        flat = [((x - lng) * kx, (y - lat) * ky) for x, y in ring]
        for (x1, y1), (x2, y2) in zip(flat, flat[1:] + flat[:1], strict=True):
            best = min(best, _to_segment(x1, y1, x2, y2))
    return best


def _to_segment(x1, y1, x2, y2):
    """Distance from the origin to the segment (x1, y1)–(x2, y2)."""
    dx, dy = x2 - x1, y2 - y1
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, -(x1 * dx + y1 * dy) / length))
    return math.hypot(x1 + t * dx, y1 + t * dy)


def _inside(ring, lat, lng):
    """Ray casting: whether (lat, lng) lies inside the ring of (lng, lat) points."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lng < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside
