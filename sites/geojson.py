"""The map's GeoJSON: every active site as a compact Feature, built from plain rows.

The whole city (5,100 sites) goes to the browser in one response, so it is built from `.values_list()`
tuples (coordinates cast to float by the database) and orjson, not from one DRF serializer per object
(≈10× slower). Its ETag comes from one aggregate (count and newest `updated_at` of the filtered sites),
so an unchanged map is a 304 without reading a single feature.
"""

import hashlib

import orjson
from django.db.models import Count, FloatField, Max
from django.db.models.functions import Cast

from .geo import nearest

# Bump when the features' shape changes, so browsers holding the old shape refetch.
FORMAT_VERSION = "1"
COMPACT_COLUMNS = ("pk", "name", "tier", "lat", "lng", "pioneer_batch")


def _feature(pk, name, tier, lat, lng, pioneer_batch, distance=None):
    properties = {"name": name, "tier": tier, "pioneer": pioneer_batch is not None}
    if distance is not None:
        properties["distance_m"] = distance
    return {
        "type": "Feature",
        "id": pk,
        "geometry": {"type": "Point", "coordinates": [lng, lat]},
        "properties": properties,
    }


def _compact(queryset):
    return queryset.annotate(
        lat=Cast("latitude", FloatField()), lng=Cast("longitude", FloatField())
    ).values_list(*COMPACT_COLUMNS)


def features(queryset, near=None):
    """Compact Features by id; with `near` (lat, lng) those within a walk, nearest first, with distances."""
    if near is None:
        return [_feature(*row) for row in _compact(queryset.order_by("pk"))]
    # Few sites lie within a walk: measure them (sites.geo), then read their compact rows.
    distances = {site.pk: site.distance_m for site in nearest(queryset.only("latitude", "longitude"), *near)}
    rows = sorted(_compact(queryset.filter(pk__in=distances)), key=lambda row: (distances[row[0]], row[0]))
    return [_feature(*row, distance=distances[row[0]]) for row in rows]


def feature_collection_json(queryset, near=None):
    """The FeatureCollection as UTF-8 JSON bytes."""
    found = features(queryset, near)
    return orjson.dumps({"type": "FeatureCollection", "count": len(found), "features": found})


def collection_etag(queryset, querystring):
    """A strong validator for the filtered map: one aggregate query, no features read."""
    summary = queryset.order_by().aggregate(count=Count("pk"), newest=Max("updated_at"))
    key = f"{FORMAT_VERSION}|{summary['count']}|{summary['newest']}|{querystring}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]
