"""`/api/units/{id}/indicators/?year=`: one co-building unit's yearly indicators, counted from its
records (services/indicators.py). Staff whose area holds the unit's street and the unit's own accounts
may read it; anyone else gets a 404. A bad year is a Chinese 400.
"""

from django.core.exceptions import BadRequest
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from members.models import Organization
from sites.ids import parse_id

from . import indicators
from .indicator_views import chosen_year


class IndicatorResultSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit", label="计量单位")
    target = serializers.IntegerField(label="每年不少于")
    count = serializers.IntegerField(label="已完成")
    state = serializers.ChoiceField(choices=indicators.State.choices, label="状态")


class UnitIndicatorsSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    street = serializers.CharField(source="street_name", label="挂包联系街道")
    year = serializers.IntegerField()
    signed_on = serializers.DateField(allow_null=True, label="挂包联系协议签订日期")
    indicators = IndicatorResultSerializer(source="results", many=True)


def units_for(user):
    """The units whose indicators `user` may read: staff, those paired with a street in their area;
    a unit's own accounts, their unit."""
    path = getattr(user, "scope_path", None)
    mine = Q(pk=user.organization_id) if user.organization_id else Q(pk__in=[])
    if path is None:
        return Organization.objects.filter(mine)
    return Organization.objects.filter(Q(paired_street__path__startswith=path) | mine)


class UnitIndicatorsView(APIView):
    """A unit's indicators for a year: each with N, the count of its records, met / behind / not started."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="年度（2000–2100），默认今年")],
        responses={200: UnitIndicatorsSerializer, 400: None, 404: None},
    )
    def get(self, request, pk):
        unit = get_object_or_404(units_for(request.user).cobuilding(), pk=parse_id(pk) or 0)
        try:
            year = chosen_year(request.query_params)
        except BadRequest as error:
            raise serializers.ValidationError({"year": [str(error)]}) from error
        (row,) = indicators.for_units(Organization.objects.filter(pk=unit.pk), year)
        body = {
            "unit": row.unit, "street_name": row.street_name, "year": year, "signed_on": row.signed_on,
            "results": row.results,
        }  # fmt: skip
        return Response(UnitIndicatorsSerializer(body).data)
