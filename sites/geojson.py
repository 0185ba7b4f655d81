"""The map's GeoJSON: every active site as a compact Feature, built from plain rows.

The whole city (5,100 sites) goes to the browser in one response, so it is built from `.values_list()`
tuples and `json.dumps`, not from one DRF serializer per object (≈10× slower). Its ETag comes from one
aggregate (count and newest `updated_at` of the filtered sites), so an unchanged map is a 304 without
reading a single feature.
"""

import hashlib
import json

from django.db.models import Count, Max

from .geo import nearest

# Bump when the features' shape changes, so browsers holding the old shape refetch.
FORMAT_VERSION = "1"
COMPACT_COLUMNS = ("pk", "name", "tier", "latitude", "longitude", "pioneer_batch")


def _feature(pk, name, tier, latitude, longitude, pioneer_batch, distance=None):
    properties = {"name": name, "tier": tier, "pioneer": pioneer_batch is not None}
    if distance is not None:
        properties["distance_m"] = distance
    return {
        "type": "Feature",
        "id": pk,
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
        "properties": properties,
    }


def compact_rows(queryset, near=None):
    """[(pk, name, tier, lat, lng, batch, distance_m|None)], nearest first when `near` is a (lat, lng)."""
    if near is None:
        return [(*row, None) for row in queryset.order_by("pk").values_list(*COMPACT_COLUMNS)]
    # Few sites lie within a walk: measure them (sites.geo), then read their compact rows.
    distances = {site.pk: site.distance_m for site in nearest(queryset.only("latitude", "longitude"), *near)}
    rows = queryset.filter(pk__in=distances).values_list(*COMPACT_COLUMNS)
    return sorted(((*row, distances[row[0]]) for row in rows), key=lambda row: (row[-1], row[0]))


def feature_collection_json(queryset, near=None):
    """The FeatureCollection as UTF-8 JSON bytes."""
    features = [_feature(*row) for row in compact_rows(queryset, near)]
    body = {"type": "FeatureCollection", "count": len(features), "features": features}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def collection_etag(queryset, querystring):
    """A strong validator for the filtered map: one aggregate query, no features read."""
    summary = queryset.order_by().aggregate(count=Count("pk"), newest=Max("updated_at"))
    key = f"{FORMAT_VERSION}|{summary['count']}|{summary['newest']}|{querystring}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]
