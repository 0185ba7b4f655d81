"""DRF serializers for one site (a GeoJSON Feature with everything about it) and for areas.

The map's collection of all sites does not use these: see sites.geojson for why.
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer, inline_serializer
from rest_framework import serializers

from .area_chain import chain
from .models import Area, Site, Venue


class AreaRefSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Area
        fields = ["id", "name", "level", "level_label", "url"]


class AreaSerializer(AreaRefSerializer):
    class Meta:
        model = Area
        fields = [*AreaRefSerializer.Meta.fields, "parent", "code", "latitude", "longitude"]


class VenueSerializer(serializers.ModelSerializer):
    """A room: the booking app adds its free slots to these entries."""

    class Meta:
        model = Venue
        fields = ["id", "name", "capacity", "facilities", "is_bookable"]


class SitePropertiesSerializer(serializers.ModelSerializer):
    tier_label = serializers.CharField(source="get_tier_display", read_only=True)
    standard_label = serializers.CharField(source="get_standard_display", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    hours_today = serializers.SerializerMethodField(help_text="今天的开放时间，如“09:00–17:00”或“不开放”。")
    hours_weekly = serializers.SerializerMethodField(help_text="周一至周日的开放时间。")
    functions = serializers.SerializerMethodField(help_text="三大功能。")
    area_chain = serializers.SerializerMethodField(help_text="从市到所在区域的区域链。")
    organizations = serializers.SerializerMethodField(help_text="承办此阵地的党组织和共建单位。")
    rooms = VenueSerializer(source="venues", many=True, read_only=True)

    class Meta:
        model = Site
        fields = [
            "name",
            "tier",
            "tier_label",
            "address",
            "phone",
            "hours_today",
            "hours_weekly",
            "functions",
            "pioneer_batch",
            "pioneer_year",
            "standard",
            "standard_label",
            "floor_area",
            "photo",
            "description",
            "area_chain",
            "organizations",
            "rooms",
            "url",
        ]

    def get_hours_today(self, site) -> str:
        return site.hours.label_on(timezone.localdate())

    @extend_schema_field(
        inline_serializer(
            "WeekdayHours", {"day": serializers.CharField(), "hours": serializers.CharField()}, many=True
        )
    )
    def get_hours_weekly(self, site):
        return [{"day": day, "hours": hours} for day, hours in site.hours.weekly()]

    @extend_schema_field(
        inline_serializer(
            "SiteFunction", {"value": serializers.CharField(), "label": serializers.CharField()}, many=True
        )
    )
    def get_functions(self, site):
        return [{"value": f.value, "label": f.label} for f in site.functions]

    @extend_schema_field(AreaRefSerializer(many=True))
    def get_area_chain(self, site):
        return AreaRefSerializer(chain(site.area), many=True).data

    @extend_schema_field(
        inline_serializer(
            "SiteOrganization", {"id": serializers.IntegerField(), "name": serializers.CharField()}, many=True
        )
    )
    def get_organizations(self, site):
        return [{"id": org.pk, "name": org.name} for org in site.organizations.all()]


class SiteFeatureSerializer(serializers.Serializer):
    """One site as a GeoJSON Feature (WGS-84 coordinates, longitude first)."""

    type = serializers.SerializerMethodField()
    id = serializers.IntegerField(read_only=True)
    geometry = serializers.SerializerMethodField()
    properties = SitePropertiesSerializer(source="*", read_only=True)

    def get_type(self, site) -> str:
        return "Feature"

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_geometry(self, site):
        return {"type": "Point", "coordinates": [float(site.longitude), float(site.latitude)]}


@extend_schema_serializer(many=False)
class SiteCollectionSerializer(serializers.Serializer):
    """Documents the map's compact FeatureCollection (built without serializers, see sites.geojson)."""

    type = serializers.CharField(default="FeatureCollection")
    count = serializers.IntegerField()
    features = inline_serializer(
        "CompactSiteFeature",
        {
            "type": serializers.CharField(default="Feature"),
            "id": serializers.IntegerField(),
            "geometry": serializers.JSONField(help_text='{"type": "Point", "coordinates": [经度, 纬度]}'),
            "properties": inline_serializer(
                "CompactSiteProperties",
                {
                    "name": serializers.CharField(),
                    "tier": serializers.ChoiceField(choices=Site._meta.get_field("tier").choices),
                    "pioneer": serializers.BooleanField(help_text="是否“海棠花红”先锋阵地"),
                    "distance_m": serializers.IntegerField(
                        required=False, help_text="仅在 near 查询时：距离（米）"
                    ),
                },
            ),
        },
        many=True,
    )
