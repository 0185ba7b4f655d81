"""The public sites API under /api/: the map's GeoJSON, one site, and the area tree.

Public and read-only: no session is read (so no Vary: Cookie and nothing secret in a response, which
is what makes gzip safe here against BREACH-style attacks).
"""

import gzip
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.text import compress_string
from django.views.decorators.http import condition
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer

from .filters import AreaFilter, SiteFilter
from .geojson import collection_etag, feature_collection_json
from .models import Area, Site
from .page_cache import cached_body, depends_on, page_etag, replica_may_lag
from .serializers import AreaSerializer, SiteCollectionSerializer, SiteFeatureSerializer


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class PublicAPIMixin:
    authentication_classes = []
    permission_classes = [AllowAny]


def _site_filter(request):
    """The request's SiteFilter, built once: the ETag check and the view share its validation queries."""
    request = getattr(request, "_request", request)
    if not hasattr(request, "site_filter"):
        request.site_filter = SiteFilter(request.GET, queryset=Site.objects.active())
    return request.site_filter


# The whole map, as every map page asks for it (no parameters), is named by the shared table versions
# when there are any (sites/page_cache.py): revalidating it then builds no filter and runs no query.
WHOLE_MAP = "sites:api-site-collection"
depends_on(WHOLE_MAP, "sites.Site", "sites.Area")


def _map_etag(request, *args, **kwargs):
    if settings.PUBLIC_PAGE_CACHE and not request.GET:
        etag, newest_write = page_etag(WHOLE_MAP, request)
        if not replica_may_lag(newest_write):
            request.map_etag = etag
            return etag
    filterset = _site_filter(request)
    if not filterset.is_valid():
        return None  # the view answers 400; never a 304 for a bad query
    querystring = urlencode(sorted(request.GET.lists()), doseq=True)
    request.map_etag = collection_etag(filterset.qs, querystring)
    return request.map_etag


def _gzipped_map(request, build, *, cacheable):
    """The map's bytes, gzipped once per ETag; decompressed only for the rare client without gzip.

    Kept in the cache under its ETag like the public pages (sites/page_cache.py): ~80 KiB per filter
    combination; the aggregate ETag needs no shared cache, so any number of processes may each hold one.
    """
    if cacheable:
        body = cached_body(f"sites:map:{request.map_etag}", lambda: compress_string(build()))
    else:
        body = compress_string(build())
    accepts_gzip = bool(re_accepts_gzip.search(request.headers.get("accept-encoding", "")))
    response = HttpResponse(
        body if accepts_gzip else gzip.decompress(body), content_type="application/geo+json"
    )
    patch_vary_headers(response, ["Accept-Encoding"])
    if accepts_gzip:
        response["Content-Encoding"] = "gzip"
        # Another representation of the same data: a weak validator, as Django's GZipMiddleware does.
        response["ETag"] = f'W/"{request.map_etag}"'
    return response


@method_decorator(condition(etag_func=_map_etag), name="dispatch")
class SiteCollectionView(PublicAPIMixin, generics.ListAPIView):
    """All active sites as one GeoJSON FeatureCollection, for the map (not paginated)."""

    queryset = Site.objects.active()
    # Declared for the OpenAPI schema's parameters; get() applies the same SiteFilter itself, once.
    filter_backends = [DjangoFilterBackend]
    filterset_class = SiteFilter
    pagination_class = None
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(
        summary="红色地图：全部阵地（GeoJSON）",
        description=(
            "按筛选条件返回启用中的阵地，GeoJSON FeatureCollection，坐标为 WGS-84 [经度, 纬度]。"
            "不分页（全市约 5,100 个）；每个要素只带名称、层级和是否先锋阵地，详情见 /api/sites/{id}/。"
            "带 near=纬度,经度 时只返回步行约 15 分钟（直线 1 公里）内的阵地，由近及远并带距离。"
            "支持 gzip 和 ETag：数据未变时带 If-None-Match 请求得到 304。"
            "参数值无效或参数名未知时返回 400，错误信息指明参数。"
        ),
        # The filter's own help text is not picked up for a custom filter class; say it here.
        parameters=[
            OpenApiParameter("near", str, description=SiteFilter.base_filters["near"].extra["help_text"])
        ],
        responses={
            200: SiteCollectionSerializer,
            304: OpenApiResponse(description="数据未变（If-None-Match 与 ETag 相同）"),
            400: OpenApiResponse(description='参数无效，如 {"tier": ["tier 参数应为…"]}'),
        },
    )
    def get(self, request, *args, **kwargs):
        filterset = _site_filter(request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        near = filterset.near_point
        response = _gzipped_map(
            request._request,
            lambda: feature_collection_json(filterset.qs, near),
            cacheable=near is None,  # a walk around one spot is rarely asked twice
        )
        # Browsers may keep the map but must revalidate it: the ETag makes that a cheap 304.
        response["Cache-Control"] = "public, no-cache"
        return response


@extend_schema(
    summary="单个阵地（GeoJSON Feature）",
    description="阵地的全部信息：层级、区域链、地址、电话、每周开放时间、三大功能、先锋阵地批次与标准、面积、活动室等。",
)
class SiteDetailAPIView(PublicAPIMixin, generics.RetrieveAPIView):
    queryset = Site.objects.active().select_related("area").prefetch_related("venues", "organizations")
    serializer_class = SiteFeatureSerializer
    renderer_classes = [GeoJSONRenderer, JSONRenderer]


@extend_schema(
    summary="区域（市—区—镇/街道—村/社区—网格）",
    description="按上级区域 parent 和层级 level 筛选，分页返回。未知的参数或无效的值返回 400。",
)
class AreaListAPIView(PublicAPIMixin, generics.ListAPIView):
    queryset = Area.objects.all()
    serializer_class = AreaSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AreaFilter
