"""The demands API: list and raise (`/api/demands/`), one demand with its timeline, and one endpoint per
move: accept, dispatch, take, resolve, evaluate, reopen, reject, transfer, promote, duplicate.

Each move calls the same function of services/demands.py as the pages. 400 bad input (Chinese field
errors), 403 not yours to do, 404 not visible to you, 409 the demand is not in a state for it (with
the reason), e.g. someone else took it first.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from members.errors import Refusal
from members.models import Member, Organization
from members.volunteer_api import refused
from sites.models import Area, AreaLevel

from . import demands as operations
from .demand_models import Demand, DemandCategory, DemandTransition, Rating
from .list_models import ServiceKind
from .resident_models import Resident


class TransitionSerializer(serializers.ModelSerializer):
    # A string, not the status enum: the first transition comes from no state ("").
    from_status = serializers.CharField(read_only=True)
    from_label = serializers.CharField(source="get_from_status_display", read_only=True)
    to_label = serializers.CharField(source="get_to_status_display", read_only=True)

    class Meta:
        model = DemandTransition
        fields = ["at", "from_status", "from_label", "to_status", "to_label", "note", "deadline"]


class DemandSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    contact_phone = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Demand
        fields = [
            "id", "title", "description", "category", "category_name", "community", "community_name", "grid",
            "latitude", "longitude", "address", "status", "status_label", "submitted_at", "accepted_at",
            "deadline", "resolved_at", "reopen_count", "overdue", "contact_name", "contact_phone",
        ]  # fmt: skip

    def get_contact_phone(self, demand) -> str:
        return demand.contact_phone_for(self.context["request"].user)

    def get_overdue(self, demand) -> bool:
        return demand.overdue_at is not None


class DemandDetailSerializer(DemandSerializer):
    transitions = TransitionSerializer(many=True, read_only=True)

    class Meta(DemandSerializer.Meta):
        fields = [*DemandSerializer.Meta.fields, "resolution_note", "transitions"]


class DemandCreateSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(
        queryset=DemandCategory.objects.filter(active=True), label="类别"
    )
    title = serializers.CharField(max_length=100, label="标题")
    description = serializers.CharField(max_length=2000, label="具体情况")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False, allow_null=True
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    grid = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=AreaLevel.GRID), required=False, allow_null=True, label="网格"
    )
    community = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=AreaLevel.COMMUNITY),
        required=False,
        allow_null=True,
        label="社区（工作人员代为登记时填写）",
    )
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


def demands_for(user):
    return Demand.objects.for_viewer(user).select_related("category", "community", "resident")


class DemandListCreateView(generics.ListCreateAPIView):
    """GET: the demands you may see, newest first (?status=). POST: raise one (a resident in their
    community; staff on a resident's behalf, naming the community)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = DemandSerializer
    filterset_fields = ["status", "category"]

    def get_queryset(self):
        return demands_for(self.request.user).order_by("-submitted_at", "-pk")

    @extend_schema(
        request=DemandCreateSerializer,
        responses={201: DemandDetailSerializer, 400: OpenApiResponse(description="输入有误"), 403: None},
    )
    def post(self, request):
        incoming = DemandCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        resident = Resident.objects.select_related("community", "user").filter(user=request.user).first()
        community = data.pop("community", None) or (resident.community if resident else None)
        if community is None:
            return Response({"community": ["请选择诉求所在的社区。"]}, status=400)
        try:
            demand = operations.raise_demand(by=request.user, resident=resident, community=community, **data)
        except Refusal as error:
            return refused(error)
        return Response(DemandDetailSerializer(demand, context={"request": request}).data, status=201)


class DemandDetailView(generics.RetrieveAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = DemandDetailSerializer

    def get_queryset(self):
        return demands_for(self.request.user).prefetch_related("transitions")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", label="说明")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, label="原因")


class PromoteSerializer(ReasonSerializer):
    kind = serializers.ChoiceField(choices=ServiceKind.choices, default=ServiceKind.OTHER, label="需求类型")


class DispatchSerializer(serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.all(), required=False, allow_null=True
    )
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ResolveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, label="办理结果")


class DemandEvaluateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices, label="评价")
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class TransferSerializer(ReasonSerializer):
    to = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level__in=[AreaLevel.TOWN, AreaLevel.COMMUNITY]), label="转办至"
    )


class DuplicateSerializer(serializers.Serializer):
    of = serializers.PrimaryKeyRelatedField(queryset=Demand.objects.all(), label="原诉求")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MoveView(APIView):
    """POST a move on a demand you can see; answers the demand as it is afterwards."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NoteSerializer

    def move(self, demand, user, data):
        raise NotImplementedError

    def post(self, request, pk):
        demand = get_object_or_404(demands_for(request.user), pk=pk)
        incoming = self.serializer_class(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            self.move(demand, request.user, incoming.validated_data)
        except Refusal as error:
            return refused(error)
        demand = demands_for(request.user).prefetch_related("transitions").filter(pk=pk).first()
        if demand is None:  # moved out of the viewer's sight (transferred away)
            return Response({"detail": "已处理。"})
        return Response(DemandDetailSerializer(demand, context={"request": request}).data)


def move_view(name, serializer, move, summary):
    """A MoveView for one operation, with its body's serializer and its OpenAPI description."""
    view = type(
        f"{name}View",
        (MoveView,),
        {"serializer_class": serializer, "move": lambda self, demand, user, data: move(demand, user, data)},
    )
    return extend_schema(
        summary=summary,
        request=serializer,
        responses={
            200: DemandDetailSerializer,
            400: OpenApiResponse(description="输入有误"),
            403: OpenApiResponse(description="无权进行此操作"),
            404: OpenApiResponse(description="诉求不存在或不可见"),
            409: OpenApiResponse(description="诉求当前状态不能进行此操作"),
        },
    )(view)


MOVES = {
    "accept": move_view(
        "Accept",
        NoteSerializer,
        lambda d, u, v: operations.accept(demand=d, by=u, **v),
        "受理（按类别时限定下办结期限）",
    ),
    "dispatch": move_view(
        "Dispatch",
        DispatchSerializer,
        lambda d, u, v: operations.dispatch(demand=d, by=u, **v),
        "派单给党员或组织",
    ),
    "take": move_view("Take", NoteSerializer, lambda d, u, v: operations.take(demand=d, by=u), "党员接单"),
    "resolve": move_view(
        "Resolve", ResolveSerializer, lambda d, u, v: operations.resolve(demand=d, by=u, **v), "办结"
    ),
    "evaluate": move_view(
        "Evaluate",
        DemandEvaluateSerializer,
        lambda d, u, v: operations.evaluate(demand=d, by=u, **v),
        "居民评价",
    ),
    "reopen": move_view(
        "Reopen",
        ResolveSerializer,
        lambda d, u, v: operations.reopen(demand=d, by=u, **v),
        "居民要求重新办理",
    ),
    "reject": move_view(
        "Reject", ReasonSerializer, lambda d, u, v: operations.reject(demand=d, by=u, **v), "不予受理"
    ),
    "transfer": move_view(
        "Transfer",
        TransferSerializer,
        lambda d, u, v: operations.transfer(demand=d, by=u, **v),
        "转办街道或其他社区",
    ),
    "promote": move_view(
        "Promote", PromoteSerializer, lambda d, u, v: operations.promote(demand=d, by=u, **v), "转入需求清单"
    ),
    "duplicate": move_view(
        "Duplicate",
        DuplicateSerializer,
        lambda d, u, v: operations.mark_duplicate(demand=d, by=u, **v),
        "标记为重复诉求",
    ),
}
