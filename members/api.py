"""REST API of the party-member roster (`/api/members/`): scoped by visible_to, phones masked and only
the last four of a 身份证号; writes through members/roster.py (enrol, edit, move, confirm), refusals as
400 with Chinese field errors, another area's member 404.

`/api/reportings/` is 在职党员报到: the community's staff see who reported to it, a member's workplace
branch (the staff over their organisation) sees where its members serve, a member with a login their
own; create and `end/` go through roster.report_to_community and roster.end_reporting."""

import django_filters as filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from sites.filters import StrictBooleanFilter, StrictFilterSet
from sites.models import Area, AreaLevel

from . import roster
from .models import CommunityReporting, Member, Organization


@extend_schema_field(OpenApiTypes.INT)
class ScopedOrganizationField(serializers.PrimaryKeyRelatedField):
    """An organisation the requesting user may see; any other id reads as "does not exist"."""

    default_error_messages = {
        "does_not_exist": "党组织 {pk_value} 不存在或不在您的管辖范围内。",
        "incorrect_type": "党组织应填编号（整数）。",
        "required": "请选择党组织。",
    }

    def get_queryset(self):
        return Organization.objects.visible_to(self.context["request"].user)


class MemberSerializer(serializers.ModelSerializer):
    organization = ScopedOrganizationField()
    group = ScopedOrganizationField(required=False, allow_null=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    id_number = serializers.CharField(
        write_only=True, max_length=18, help_text="只在登记时填写；系统只保存指纹和后四位。"
    )
    id_number_last4 = serializers.CharField(read_only=True)
    since = serializers.DateField(write_only=True, required=False, help_text="组织关系转入日期，默认今天。")

    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "gender",
            "birth_year",
            "phone",
            "id_number",
            "id_number_last4",
            "status",
            "joined_on",
            "confirmed_on",
            "organization",
            "organization_name",
            "group",
            "since",
            "workplace",
        ]

    def to_representation(self, member):
        data = super().to_representation(member)
        data["phone"] = member.masked_phone  # the API never gives a number in full
        return data


class MemberEditSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = list(roster.EDITABLE)


class MoveSerializer(serializers.Serializer):
    to = ScopedOrganizationField(help_text="转入的党组织")
    group = ScopedOrganizationField(required=False, allow_null=True, default=None)
    on = serializers.DateField(required=False, help_text="转接日期，默认今天")


class ConfirmSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="转正日期，默认今天")


def _write(operation, **kwargs):
    try:
        return operation(**kwargs)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.message_dict) from error


def _dated(request, body, key, operation, **kwargs):
    """An action whose body is one optional date `key` (default today), given to `operation` as `on`."""
    data = body(data=request.data)
    data.is_valid(raise_exception=True)
    on = data.validated_data.get(key) or timezone.localdate()
    return _write(operation, by=request.user, on=on, **kwargs)


class MemberViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["status", "organization"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Member.objects.visible_to(self.request.user)
            .select_related("organization")
            .order_by("organization_id", "name", "pk")
        )

    def get_serializer_class(self):
        return MemberEditSerializer if self.action == "partial_update" else MemberSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["since"] = data.get("since") or timezone.localdate()
        serializer.instance = _write(roster.enrol_member, by=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = _write(
            roster.edit_member,
            member=serializer.instance,
            by=self.request.user,
            changes=dict(serializer.validated_data),
        )

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        response.data = MemberSerializer(
            self.get_queryset().get(pk=kwargs["pk"]), context={"request": request}
        ).data
        return response

    @extend_schema(request=MoveSerializer, responses={200: MemberSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """组织关系转接: the old membership ends on `on`, the new one starts that day."""
        data = MoveSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        member = _write(
            roster.move_member,
            member=self.get_object(),
            by=request.user,
            to=values["to"],
            group=values["group"],
            on=values.get("on") or timezone.localdate(),
        )
        return Response(MemberSerializer(member, context={"request": request}).data)

    @extend_schema(request=ConfirmSerializer, responses={200: MemberSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """预备党员转为正式党员."""
        member = _dated(request, ConfirmSerializer, "on", roster.confirm_member, member=self.get_object())
        return Response(MemberSerializer(member, context={"request": request}).data)


@extend_schema_field(OpenApiTypes.INT)
class ReportingMemberField(serializers.PrimaryKeyRelatedField):
    """A member the requesting user may see, or their own record."""

    default_error_messages = {
        "does_not_exist": "党员 {pk_value} 不存在或不在您的管辖范围内。",
        "incorrect_type": "党员应填编号（整数）。",
        "required": "请选择报到的党员。",
    }

    def get_queryset(self):
        user = self.context["request"].user
        return Member.objects.visible_to(user) | Member.objects.filter(user=user)


@extend_schema_field(OpenApiTypes.INT)
class AreaOfLevelField(serializers.PrimaryKeyRelatedField):
    """A community or a grid anywhere in the city: a workplace branch reports its members to the
    residential community they live in, outside its own area; roster.may_report decides who may."""

    def __init__(self, level, **kwargs):
        self.level = level
        label = AreaLevel(level).label
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": f"{label} {{pk_value}} 不存在。",
                "incorrect_type": f"{label}应填编号（整数）。",
                "required": f"请选择{label}。",
            },
        )
        super().__init__(**kwargs)

    def get_queryset(self):
        return Area.objects.filter(level=self.level)


class ReportingSerializer(serializers.ModelSerializer):
    member = ReportingMemberField()
    member_name = serializers.CharField(source="member.name", read_only=True)
    organization_name = serializers.CharField(source="member.organization.name", read_only=True)
    community = AreaOfLevelField(AreaLevel.COMMUNITY)
    community_name = serializers.CharField(source="community.name", read_only=True)
    grid = AreaOfLevelField(AreaLevel.GRID, required=False, allow_null=True, default=None)
    grid_name = serializers.CharField(source="grid.name", read_only=True, default="")
    since = serializers.DateField(required=False, help_text="报到日期，默认今天")

    class Meta:
        model = CommunityReporting
        fields = [
            "id",
            "member",
            "member_name",
            "organization_name",
            "community",
            "community_name",
            "grid",
            "grid_name",
            "since",
            "until",
        ]
        read_only_fields = ["until"]


class EndReportingSerializer(serializers.Serializer):
    until = serializers.DateField(required=False, help_text="结束日期，默认今天")


class ReportingFilter(StrictFilterSet):
    side = filters.ChoiceFilter(
        label="范围",
        choices=[("here", "到本辖区社区报到的"), ("ours", "本辖区党组织的党员")],
        method="filter_side",
        error_messages={
            "invalid_choice": "side 参数应为 here（到本辖区社区报到的）或 ours（本辖区党组织的党员）。"
        },
    )
    active = StrictBooleanFilter(label="进行中", method="filter_active")

    class Meta:
        model = CommunityReporting
        fields = ["community", "member"]

    def filter_side(self, queryset, name, value):
        return queryset.on_side(self.request.user, value)

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_active(self, queryset, name, value):
        return queryset.filter(until__isnull=value)


class ReportingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """在职党员报到: who reported to the staff's communities, where their own members serve; `end/`."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ReportingSerializer
    filterset_class = ReportingFilter

    def get_queryset(self):
        return (
            CommunityReporting.objects.seen_by(self.request.user)
            .select_related("member__organization", "community", "grid")
            .order_by("community__path", "-since", "pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["since"] = data.get("since") or timezone.localdate()
        serializer.instance = _write(roster.report_to_community, by=self.request.user, **data)

    @extend_schema(request=EndReportingSerializer, responses={200: ReportingSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """结束报到 on `until` (default today): the row stays, dated, in the member's history."""
        reporting = _dated(
            request, EndReportingSerializer, "until", roster.end_reporting, reporting=self.get_object()
        )
        return Response(self.get_serializer(reporting).data)


router = DefaultRouter()
router.include_root_view = False
router.register("members", MemberViewSet, basename="api-member")
router.register("reportings", ReportingViewSet, basename="api-reporting")
