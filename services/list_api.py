"""The 三张清单 API: needs (the public board and the community's own), resources, claims and their steps.

201 created, 400 bad input (field errors in Chinese), 403 not allowed, 404 not yours to see, 409 a
conflict with its reason: over the quantity left, already claimed by you, the need takes no claims,
the claim is past that step. Every write goes through services/needs.py and services/claims.py.
"""

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import FloatField, Q
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from members.models import Organization
from sites.api import GeoJSONRenderer
from sites.models import Area, AreaLevel

from . import claims as operations
from . import needs as lists
from .api import validation_response
from .list_filters import NeedFilter
from .list_models import (
    MAX_QUANTITY,
    Claim,
    Need,
    Rating,
    Resource,
    ResourceStatus,
    ServiceCategory,
    ServiceKind,
    Urgency,
)
from .serializers import BoundedDateField

# --- serializers ---------------------------------------------------------------------------------------


class NeedSerializer(serializers.ModelSerializer):
    """A need as the board shows it: no personal data (who recorded it is not shown)."""

    community_name = serializers.CharField(source="community.name", read_only=True)
    street_name = serializers.CharField(source="community.parent.name", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(read_only=True)
    remaining = serializers.IntegerField(read_only=True)

    class Meta:
        model = Need
        fields = [
            "id", "community", "community_name", "street_name", "title", "description", "category",
            "category_label", "kind", "kind_label", "address", "latitude", "longitude", "quantity", "unit",
            "claimed", "fulfilled", "remaining", "urgency", "wanted_by", "state", "state_label",
        ]  # fmt: skip


def quantity(label):
    return serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, label=label)


def coordinate(label, limit):
    return serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-limit, max_value=limit, required=False, allow_null=True,
        label=label,
    )  # fmt: skip


class NeedCreateSerializer(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=AreaLevel.COMMUNITY), label="社区"
    )
    title = serializers.CharField(max_length=100, label="需求名称")
    description = serializers.CharField(required=False, allow_blank=True, default="", label="需求描述")
    category = serializers.ChoiceField(choices=ServiceCategory.choices, label="项目类别")
    kind = serializers.ChoiceField(choices=ServiceKind.choices, label="需求类型")
    address = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    latitude = coordinate("纬度", 90)
    longitude = coordinate("经度", 180)
    quantity = quantity("需求数量")
    unit = serializers.CharField(max_length=10, default="项", label="计量单位")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL, label="紧急程度")
    wanted_by = BoundedDateField(required=False, allow_null=True, label="期望完成日期")
    publish = serializers.BooleanField(default=False, label="立即发布")


class ResourceSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    street_name = serializers.CharField(source="street.name", read_only=True)
    contact_phone = serializers.CharField(source="masked_contact_phone", read_only=True)
    remaining = serializers.IntegerField(read_only=True)

    class Meta:
        model = Resource
        fields = [
            "id", "organization", "organization_name", "title", "description", "form", "kind", "year",
            "quantity", "unit", "claimed", "remaining", "street", "street_name", "radius_m", "address",
            "available", "contact_name", "contact_phone", "status",
        ]  # fmt: skip


class ResourceCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100, label="资源名称")
    description = serializers.CharField(required=False, allow_blank=True, default="", label="资源介绍")
    form = serializers.ChoiceField(choices=Resource._meta.get_field("form").choices, label="资源形式")
    kind = serializers.ChoiceField(choices=ServiceKind.choices, label="服务类型")
    quantity = quantity("每年可提供数量")
    unit = serializers.CharField(max_length=10, default="次", label="计量单位")
    street = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=AreaLevel.TOWN), required=False, label="服务街道"
    )
    radius_m = serializers.IntegerField(min_value=1, max_value=100_000, required=False, allow_null=True)
    available = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    publish = serializers.BooleanField(default=False, label="立即发布")


class ClaimSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    subject = serializers.CharField(source="subject_title", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id", "direction", "need", "resource", "subject", "organization", "organization_name",
            "community", "community_name", "quantity", "note", "status", "status_label", "decline_reason",
            "completed_on", "beneficiaries", "rating", "evaluation_comment", "created_at",
        ]  # fmt: skip


class ClaimCreateSerializer(serializers.Serializer):
    """Either `need` (a unit claims it) or `resource` with `community` (a community claims it)."""

    need = serializers.PrimaryKeyRelatedField(queryset=Need.objects.all(), required=False, label="需求")
    resource = serializers.PrimaryKeyRelatedField(
        queryset=Resource.objects.all(), required=False, label="资源"
    )
    community = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=AreaLevel.COMMUNITY), required=False, label="认领社区"
    )
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.cobuilding(), required=False, label="认领单位"
    )
    quantity = quantity("认领数量")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if bool(attrs.get("need")) == bool(attrs.get("resource")):
            raise serializers.ValidationError({"need": "请选择要认领的需求或资源（二选一）。"})
        if attrs.get("resource") and not attrs.get("community"):
            raise serializers.ValidationError({"community": "认领资源时请选择认领的社区。"})
        return attrs


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, label="婉拒原因")


class CompleteSerializer(serializers.Serializer):
    on = BoundedDateField(label="完成日期")
    beneficiaries = serializers.IntegerField(min_value=0, max_value=10_000_000, label="惠及人次")
    evidence = serializers.FileField(required=False, label="完成照片")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class EvaluateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices, label="评价")
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# --- views ---------------------------------------------------------------------------------------------


def run(operation, serializer=ClaimSerializer, created=False):
    """Call a domain operation, and answer with its result (204 with no serializer) or its refusal (403,
    400, 409)."""
    try:
        result = operation()
    except PermissionDenied as error:
        raise exceptions.PermissionDenied(str(error)) from error
    except ValidationError as error:
        return validation_response(error)
    except operations.ClaimConflict as conflict:
        return Response({"detail": str(conflict)}, status=status.HTTP_409_CONFLICT)
    if serializer is None:  # an undo: nothing left to show
        return Response(status=status.HTTP_204_NO_CONTENT)
    return Response(serializer(result).data, status=201 if created else 200)


CONFLICT = OpenApiResponse(
    description="冲突：超过剩余数量、已认领、需求不接受认领或认领已处理（detail 说明原因）"
)


def needs_for(user):
    """The board's needs for everyone; staff also see every need of their own area (drafts too)."""
    path = getattr(user, "scope_path", None)
    shown = (
        Q(status="published") if path is None else Q(status="published") | Q(community__path__startswith=path)
    )
    return Need.objects.filter(shown).select_related("community__parent")


class NeedListCreateView(generics.ListCreateAPIView):
    """GET: the published needs (the public board), with filters; staff see their area's drafts too.
    POST: a community's staff record a need (a draft, or published with publish=true)."""

    serializer_class = NeedSerializer
    filterset_class = NeedFilter

    def get_permissions(self):
        return [permissions.IsAuthenticated() if self.request.method == "POST" else permissions.AllowAny()]

    def get_queryset(self):
        return needs_for(self.request.user).order_by("-published_at", "-pk")

    @extend_schema(
        request=NeedCreateSerializer,
        responses={201: NeedSerializer, 400: OpenApiResponse(description="输入有误"), 403: None},
    )
    def post(self, request):
        incoming = NeedCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return run(
            lambda: lists.create_need(by=request.user, **incoming.validated_data), NeedSerializer, True
        )


class NeedDetailView(generics.RetrieveAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = NeedSerializer

    def get_queryset(self):
        return needs_for(self.request.user)


class NeedStepView(APIView):
    """publish / withdraw / close a need (its community's staff)."""

    permission_classes = [permissions.IsAuthenticated]
    step = None

    @extend_schema(request=None, responses={200: NeedSerializer, 403: None, 404: None, 409: CONFLICT})
    def post(self, request, pk):
        need = get_object_or_404(Need.objects.visible_to(request.user), pk=pk)
        step = {"publish": lists.publish_need, "withdraw": lists.withdraw_need, "close": lists.close_need}
        return run(lambda: step[self.step](need=need, by=request.user), NeedSerializer)


class NeedGeoJSONView(APIView):
    """The board's needs on the 红色地图: a GeoJSON layer (WGS-84), with the same filters as the list."""

    permission_classes = [permissions.AllowAny]
    renderer_classes = [GeoJSONRenderer, JSONRenderer]  # Accept: application/geo+json, as the map asks

    @extend_schema(
        summary="需求清单地图图层（GeoJSON）",
        description="已发布的需求，GeoJSON FeatureCollection，坐标为 WGS-84 [经度, 纬度]；"
        "没有坐标的需求用所在社区的中心点。筛选参数与 /api/needs/ 相同；不含任何个人信息。",
        responses={200: OpenApiResponse(description="GeoJSON FeatureCollection"), 400: None},
    )
    def get(self, request):
        filterset = NeedFilter(request.query_params, queryset=Need.objects.on_board())
        if not filterset.is_valid():
            raise exceptions.ValidationError({k: [str(m) for m in v] for k, v in filterset.errors.items()})
        rows = (
            filterset.qs.with_state()
            .annotate(
                lat=Cast("latitude", FloatField()), lng=Cast("longitude", FloatField()),
                clat=Cast("community__latitude", FloatField()),
                clng=Cast("community__longitude", FloatField()),
            )
            .order_by("pk")
            .values_list("pk", "title", "kind", "state_key", "community__name", "lat", "lng", "clat", "clng")
        )  # fmt: skip
        features = [
            {
                "type": "Feature",
                "id": pk,
                # Its own spot, else its community's centre; a need with neither stays off the map.
                "geometry": {"type": "Point", "coordinates": [lng, lat] if lat is not None else [clng, clat]},
                "properties": {"title": title, "kind": kind, "state": state, "community": community},
            }
            for pk, title, kind, state, community, lat, lng, clat, clng in rows
            if lat is not None or clat is not None
        ]
        body = {"type": "FeatureCollection", "count": len(features), "features": features}
        return HttpResponse(orjson.dumps(body), content_type="application/geo+json")


class ResourceListCreateView(generics.ListCreateAPIView):
    """GET: resources on offer (contact phones masked), and your own unit's drafts. POST: a unit's staff
    offer one (for the unit's paired street unless `street` is given)."""

    serializer_class = ResourceSerializer
    filterset_fields = ["street", "kind", "form", "organization"]

    def get_permissions(self):
        return [permissions.IsAuthenticated() if self.request.method == "POST" else permissions.AllowAny()]

    def get_queryset(self):
        user = self.request.user
        mine = (
            Q(organization_id=user.organization_id) if getattr(user, "organization_id", None) else Q(pk=None)
        )
        return (
            Resource.objects.filter(Q(status=ResourceStatus.PUBLISHED) | mine)
            .select_related("organization", "street")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        request=ResourceCreateSerializer, responses={201: ResourceSerializer, 400: None, 403: None}
    )
    def post(self, request):
        incoming = ResourceCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        unit = operations.unit_of(request.user)
        if unit is None:
            raise exceptions.PermissionDenied("只有共驻共建单位的工作人员可以发布资源。")
        return run(
            lambda: lists.create_resource(organization=unit, by=request.user, **incoming.validated_data),
            ResourceSerializer,
            True,
        )


def claims_of(user):
    return Claim.objects.visible_to(user).select_related("need", "resource", "organization", "community")


class ClaimListCreateView(generics.ListCreateAPIView):
    """GET: the claims you may see (your area's, your unit's). POST: claim a need (a unit's staff) or a
    resource (a community's staff)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ClaimSerializer
    filterset_fields = ["status", "direction", "need", "resource"]

    def get_queryset(self):
        return claims_of(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        request=ClaimCreateSerializer, responses={201: ClaimSerializer, 400: None, 403: None, 409: CONFLICT}
    )
    def post(self, request):
        incoming = ClaimCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if data.get("need"):
            return run(
                lambda: operations.claim_need(
                    need=data["need"], by=request.user, quantity=data["quantity"], note=data["note"],
                    organization=data.get("organization"),
                ),
                created=True,
            )  # fmt: skip
        return run(
            lambda: operations.claim_resource(
                resource=data["resource"], by=request.user, community=data["community"],
                quantity=data["quantity"], note=data["note"],
            ),
            created=True,
        )  # fmt: skip


class ClaimStepView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    body = None

    def act(self, claim, data):
        raise NotImplementedError

    def post(self, request, pk):
        claim = get_object_or_404(claims_of(request.user), pk=pk)
        data = {}
        if self.body is not None:
            incoming = self.body(data=request.data)
            incoming.is_valid(raise_exception=True)
            data = incoming.validated_data
        return run(lambda: self.act(claim, data))


@extend_schema(request=None, responses={200: ClaimSerializer, 403: None, 404: None, 409: CONFLICT})
class AcceptClaimView(ClaimStepView):
    """The owning side accepts a pending claim (it goes in progress)."""

    def act(self, claim, data):
        return operations.accept_claim(claim=claim, by=self.request.user)


@extend_schema(
    request=DeclineSerializer, responses={200: ClaimSerializer, 400: None, 403: None, 409: CONFLICT}
)
class DeclineClaimView(ClaimStepView):
    """The owning side declines a pending claim, with a reason; its quantity is free again."""

    body = DeclineSerializer

    def act(self, claim, data):
        return operations.decline_claim(claim=claim, by=self.request.user, reason=data["reason"])


@extend_schema(request=None, responses={200: ClaimSerializer, 403: None, 409: CONFLICT})
class WithdrawClaimView(ClaimStepView):
    """The claiming side takes back a claim not yet accepted."""

    def act(self, claim, data):
        return operations.withdraw_claim(claim=claim, by=self.request.user)


@extend_schema(
    request={"multipart/form-data": CompleteSerializer},
    responses={200: ClaimSerializer, 400: None, 403: None, 409: CONFLICT},
)
class CompleteClaimView(ClaimStepView):
    """The unit records the work done: date, 惠及人次, a photo (JPG/PNG)."""

    body = CompleteSerializer

    def act(self, claim, data):
        return operations.complete_claim(
            claim=claim, by=self.request.user, on=data["on"], beneficiaries=data["beneficiaries"],
            evidence=data.get("evidence"), note=data["note"],
        )  # fmt: skip


@extend_schema(
    request=EvaluateSerializer, responses={200: ClaimSerializer, 400: None, 403: None, 409: CONFLICT}
)
class EvaluateClaimView(ClaimStepView):
    """The community rates the completed work: satisfied / fairly_satisfied / dissatisfied."""

    body = EvaluateSerializer

    def act(self, claim, data):
        return operations.evaluate_claim(
            claim=claim, by=self.request.user, rating=data["rating"], comment=data["comment"]
        )
