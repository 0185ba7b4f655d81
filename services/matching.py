"""Matching suggestions: for each open need of a street, the resources that could meet it, best first.

One SQL query for a whole street (no query per pair): every open need of the street against every
published resource reaching it with capacity left, ranked per need by a window function on
  1. 类型匹配 — the resource's kind is the need's (1) or not (0);
  2. 距离 — metres between the need (its spot, else its community's centre) and the resource (its
     address, else its unit's area's centre): an equirectangular distance, within a few metres of the
     great circle at a city's size (sites.geo's haversine needs trigonometry SQLite may lack);
  3. 本年已认领 — how many claims the unit made this year (a unit that has taken on nothing ranks higher,
     towards its yearly indicators), counted once per unit for the query, not once per pair;
  4. 剩余容量 — what the resource has left this year.
Each part is returned with the suggestion, so a person can see why it ranks where it does.

A resource reaches the communities of the street it is offered to, or, when it has a radius, the needs
within that many metres of its address, whichever street they are in. A pair a person dismissed
(SuggestionDismissal) is left out. The same ranking, partitioned the other way, gives a resource the
needs it could meet (`suggestions_for_resource`).
"""

import math
from dataclasses import dataclass, replace

from django.db import connection
from django.utils import timezone

from members.models import Organization
from sites.models import Area

from .dismissal_models import SuggestionDismissal
from .list_models import LIVE_CLAIM_STATUSES, Claim, Need, NeedStatus, Resource, ResourceStatus

METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LNG_AT_EQUATOR = 111_320.0


@dataclass(frozen=True)
class Suggestion:
    need_id: int
    resource_id: int
    rank: int
    kind_fit: bool
    distance_m: int | None
    unit_claims_this_year: int
    capacity_left: int
    need: Need | None = None  # filled by with_needs / with_resources, for a page or the API
    resource: Resource | None = None


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


SQL = """
WITH unit_load AS (
    SELECT cl.organization_id, COUNT(*) AS claims
      FROM {claim} cl
     WHERE cl.status IN ({live}) AND cl.created_at >= %(year_start)s
     GROUP BY cl.organization_id
), pairs AS (
    SELECT n.id AS need_id, r.id AS resource_id,
           CASE WHEN n.kind = r.kind THEN 1 ELSE 0 END AS kind_fit,
           CAST(COALESCE(n.latitude, c.latitude) - COALESCE(r.latitude, oa.latitude) AS DOUBLE PRECISION)
               * %(per_lat)s AS dy,
           CAST(COALESCE(n.longitude, c.longitude) - COALESCE(r.longitude, oa.longitude) AS DOUBLE PRECISION)
               * %(per_lng)s AS dx,
           r.quantity - r.claimed AS capacity_left,
           r.radius_m AS radius_m,
           COALESCE(ul.claims, 0) AS unit_claims
      FROM {need} n
      JOIN {area} c ON c.id = n.community_id
      JOIN {resource} r ON (r.radius_m IS NULL AND r.street_id = c.parent_id) OR r.radius_m IS NOT NULL
      JOIN {organization} o ON o.id = r.organization_id
      JOIN {area} oa ON oa.id = o.area_id
      LEFT JOIN unit_load ul ON ul.organization_id = r.organization_id
     WHERE {scope} AND n.status = %(need_open)s AND n.claimed < n.quantity
       AND r.status = %(resource_open)s AND r.claimed < r.quantity
       AND NOT EXISTS (SELECT 1 FROM {dismissal} d WHERE d.need_id = n.id AND d.resource_id = r.id)
), ranked AS (
    SELECT pairs.*, dx * dx + dy * dy AS d2,
           ROW_NUMBER() OVER (
               PARTITION BY {partition}
               ORDER BY kind_fit DESC, (dx * dx + dy * dy) IS NULL, dx * dx + dy * dy, unit_claims,
                        capacity_left DESC, resource_id, need_id
           ) AS position
      FROM pairs
     WHERE radius_m IS NULL OR (dx * dx + dy * dy) <= CAST(radius_m AS DOUBLE PRECISION) * radius_m
)
SELECT need_id, resource_id, position, kind_fit, d2, unit_claims, capacity_left
  FROM ranked WHERE position <= %(top)s ORDER BY {partition}, position
"""


def suggestions_for_street(street, *, top=3):
    """{need id: [Suggestion, …]} for every open need of `street` (a town), best first, in one query."""
    found = {}
    for suggestion in _ranked("c.parent_id = %(street)s", "need_id", street, top, street=street.pk):
        found.setdefault(suggestion.need_id, []).append(suggestion)
    return found


def suggestions_for_need(need, *, top=5):
    """[Suggestion, …]: the resources that could meet `need`, best first, in one query."""
    return _ranked("n.id = %(need)s", "need_id", need.community.parent, top, need=need.pk)


def suggestions_for_resource(resource, *, top=10):
    """[Suggestion, …]: the open needs `resource` could meet, best first, in one query (kind fit and
    distance decide; the unit and the capacity are the resource's own, the same for every need)."""
    return _ranked("r.id = %(resource)s", "resource_id", resource.street, top, resource=resource.pk)


def _ranked(scope, partition, around, top, **scope_params):
    # Degrees of longitude shrink with the latitude: take the street's (Suzhou's when it has none).
    latitude = float(around.latitude) if around.latitude is not None else 31.3
    live = ", ".join(f"'{status}'" for status in LIVE_CLAIM_STATUSES)
    sql = SQL.format(
        claim=_table(Claim), need=_table(Need), area=_table(Area), resource=_table(Resource),
        organization=_table(Organization), dismissal=_table(SuggestionDismissal), live=live, scope=scope,
        partition=partition,
    )  # fmt: skip
    today = timezone.localdate()
    params = {
        "per_lat": METRES_PER_DEGREE_LAT,
        "per_lng": METRES_PER_DEGREE_LNG_AT_EQUATOR * math.cos(math.radians(latitude)),
        "year_start": timezone.make_aware(timezone.datetime(today.year, 1, 1)),
        "need_open": NeedStatus.PUBLISHED,
        "resource_open": ResourceStatus.PUBLISHED,
        "top": top,
        **scope_params,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            Suggestion(
                need_id=need_id,
                resource_id=resource_id,
                rank=rank,
                kind_fit=bool(kind_fit),
                distance_m=None if d2 is None else round(math.sqrt(d2)),
                unit_claims_this_year=unit_claims,
                capacity_left=capacity_left,
            )  # fmt: skip
            for need_id, resource_id, rank, kind_fit, d2, unit_claims, capacity_left in cursor.fetchall()
        ]


def with_resources(suggestions):
    """The suggestions with their resources (and units) loaded: one query."""
    found = Resource.objects.select_related("organization", "street").in_bulk(
        [s.resource_id for s in suggestions]
    )
    return [replace(s, resource=found[s.resource_id]) for s in suggestions]


def with_needs(suggestions):
    """The suggestions with their needs (and communities, streets) loaded: one query."""
    found = Need.objects.select_related("community__parent").in_bulk([s.need_id for s in suggestions])
    return [replace(s, need=found[s.need_id]) for s in suggestions]
