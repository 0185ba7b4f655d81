"""15-minute coverage (15分钟辐射圈, issue 18 item 6): how far each community is from the nearest active site.

A community is reached when an active site lies within 1 km in a straight line (DESIGN.md: the
15-minute walk ≈ 1.2 km along streets ≈ 1 km straight line, `geo.WALK_15_MIN_M`), measured from

- its centre point (`Area.latitude/longitude`): the haversine distance (`geo.distance_m`) to each
  candidate site, the candidates being the sites in the grid cells around the point;
- its boundary, when one is loaded (`Area.boundary`, a GeoJSON polygon): 0 for a site inside it, else
  the distance to its nearest edge, over the sites of the cells around the polygon's box.

Two queries for any area, the city included: its communities, and the active sites in their box (an
indexed latitude/longitude range, widened by the search radius); the measuring is done here, because a
city's 2,000 communities against 5,100 sites bucketed in 1 km cells is a few tens of thousands of
haversines (tens of milliseconds), where a correlated SQL subquery per community took half a second.

Distances are sought up to `SEARCH_M` (3 km): a community farther than that from every site shows
"3 公里以上". A community with neither a point nor a boundary has no location: listed apart, left out
of the rate. `coverage(area)` is the figure (覆盖率) a dashboard shows, for any area's subtree.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Case, F, JSONField, Q, When

from .geo import EARTH_RADIUS_M, WALK_15_MIN_M, bounding_box, distance_m
from .models import Area, AreaLevel, Site

SEARCH_M = 3_000


def _box(radius_m):
    """Half a box's height and width in degrees. The width holds up to 35°N (Suzhou lies at 30.7–32.0°N):
    a wider box only costs a few more candidates, never a missed site."""
    return (
        math.degrees(radius_m / EARTH_RADIUS_M),
        math.degrees(radius_m / (EARTH_RADIUS_M * math.cos(math.radians(35)))),
    )


def _cell(lat, lng, size):
    """The grid cell of a point, for cells `size` = (degrees of latitude, of longitude) wide."""
    return math.floor(lat / size[0]), math.floor(lng / size[1])


def _grid(sites, radius_m):
    """The sites [(pk, name, lat, lng)] bucketed into cells as wide as the box of `radius_m`: every site
    within `radius_m` of a point lies in the point's cell or one of its eight neighbours."""
    size = _box(radius_m)
    cells = {}
    for site in sites:
        cells.setdefault(_cell(site[2], site[3], size), []).append(site)
    return size, cells


def _nearest(points, sites, radius_m):
    """{community pk: (metres, site pk, site name)} for the `points` [(pk, lat, lng)] with one of `sites`
    within `radius_m`: each point measures (haversine) only the sites of its 3 × 3 cells.

    Most of those candidates (the square's corners and edges) lie beyond the radius: they are told
    apart by the haversine's inner term alone, from the sites' latitudes in radians and their cosines
    worked out once, and only the others are measured in full (`distance_m`, the same figure as ever)."""
    size, cells = _grid(sites, radius_m)
    # d <= r  <=>  sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2) <= sin²(r / 2R); the margin keeps every
    # candidate rounding could put on either side.
    limit = math.sin(radius_m / (2 * EARTH_RADIUS_M)) ** 2 * (1 + 1e-9)
    prepared = {
        cell: [(site, math.radians(site[2]), math.cos(math.radians(site[2]))) for site in members]
        for cell, members in cells.items()
    }
    found = {}
    for pk, lat, lng in points:
        row, column = _cell(lat, lng, size)
        p1 = math.radians(lat)
        cos_p1 = math.cos(p1)
        best = None
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for site, p2, cos_p2 in prepared.get((row + dr, column + dc), ()):
                    dl = math.radians(site[3] - lng)
                    if math.sin((p2 - p1) / 2) ** 2 + cos_p1 * cos_p2 * math.sin(dl / 2) ** 2 > limit:
                        continue
                    site_pk, name, site_lat, site_lng = site
                    d = distance_m(lat, lng, site_lat, site_lng)
                    if d <= radius_m and (best is None or (d, site_pk) < best[:2]):
                        best = (d, site_pk, name)
        if best:
            found[pk] = (round(best[0]), best[1], best[2])
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
    """The communities of `area`'s subtree in tree order, each with its town and district attached as
    `parent` and `parent.parent`, in one query: the subtree's districts, towns and communities and the
    area's ancestors, joined up here (a join per community built a town and a district object for each
    of a city's 2,000 communities). Only the communities' outlines are read, as `outline`."""
    ancestors = [int(pk) for pk in area.path.split("/") if pk]
    levels = [AreaLevel.DISTRICT, AreaLevel.TOWN, AreaLevel.COMMUNITY]
    rows = list(
        Area.objects.filter(Q(path__startswith=area.path, level__in=levels) | Q(pk__in=ancestors))
        .defer("boundary")
        .annotate(outline=Case(When(level=AreaLevel.COMMUNITY, then=F("boundary")), output_field=JSONField()))
        .order_by("path")
    )
    by_pk = {a.pk: a for a in rows}
    level, path = str(AreaLevel.COMMUNITY), area.path
    communities = [a for a in rows if a.level == level and a.path.startswith(path)]
    for community in communities:
        town = by_pk.get(community.parent_id)
        if town is not None:
            community.parent = town
            if town.parent_id in by_pk:
                town.parent = by_pk[town.parent_id]
    return communities


def reaches(area):
    """A Reach for every community in `area`'s subtree, in tree order, in two queries whatever the size:
    the communities, and the active sites in their box (widened by the search radius). Distances are
    measured here: each community against the sites of the grid cells around it, within 1 km first,
    then within 3 km for the few none reached (a 1 km cell holds a ninth of a 3 km one's candidates)."""
    rows = communities_of(area)
    outlined = {c.pk: _rings(c.outline) for c in rows if c.outline}
    outlined = {pk: rings for pk, rings in outlined.items() if rings}
    points = [
        (c.pk, float(c.latitude), float(c.longitude))
        for c in rows
        if c.pk not in outlined and c.latitude is not None and c.longitude is not None
    ]
    corners = [(lat, lng) for _pk, lat, lng in points] + [
        (lat, lng) for rings in outlined.values() for ring in rings for lng, lat in ring
    ]
    sites = _sites_around(corners) if corners else []
    nearest = _nearest(points, sites, WALK_15_MIN_M)
    nearest.update(_nearest([p for p in points if p[0] not in nearest], sites, SEARCH_M))
    wide = _grid(sites, SEARCH_M) if outlined else None
    found = []
    for community in rows:
        if community.pk in outlined:
            found.append(Reach(community, *_nearest_to_boundary(outlined[community.pk], wide), "boundary"))
        elif community.latitude is not None and community.longitude is not None:
            distance, site, name = nearest.get(community.pk, (None, None, ""))
            found.append(Reach(community, distance, site, name, "centre"))
        else:
            found.append(Reach(community, None))
    return found


def _sites_around(corners):
    """[(pk, name, lat, lng)] of the active sites within SEARCH_M of the box around `corners`: one query
    over the indexed latitude/longitude range."""
    min_lat, _, min_lng, _ = bounding_box(min(p[0] for p in corners), min(p[1] for p in corners), SEARCH_M)
    _, max_lat, _, max_lng = bounding_box(max(p[0] for p in corners), max(p[1] for p in corners), SEARCH_M)
    rows = (
        Site.objects.active()
        .filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lng, max_lng))
        .values_list("pk", "name", "latitude", "longitude")
    )
    return [(pk, name, float(lat), float(lng)) for pk, name, lat, lng in rows]


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


def _nearest_to_boundary(rings, grid):
    """(metres, site pk, site name) of the nearest site of `grid` (SEARCH_M cells) to the polygon's edge
    (0 inside), within SEARCH_M; (None, None, "") when none is."""
    size, cells = grid
    points = [p for ring in rings for p in ring]
    low = _cell(min(lat for _lng, lat in points), min(lng for lng, _lat in points), size)
    high = _cell(max(lat for _lng, lat in points), max(lng for lng, _lat in points), size)
    best = None
    for row in range(low[0] - 1, high[0] + 2):
        for column in range(low[1] - 1, high[1] + 2):
            for pk, name, lat, lng in cells.get((row, column), ()):
                d = polygon_distance_m(rings, lat, lng)
                if d <= SEARCH_M and (best is None or (d, pk) < best[:2]):
                    best = (d, pk, name)
    return (round(best[0]), best[1], best[2]) if best else (None, None, "")


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
