"""REST API of 组织生活: `/api/meetings/` (list, record, plan), `/api/organizations/{id}/compliance/?year=`
and `/api/terms/` (list, elect, extend). Scoped like the pages (User.keeps_records_of: staff of the area
or the branch secretary); writes through members/meetings.py and members/terms.py; refusals are Chinese
400s, another area's row a 404."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from sites.ids import parse_id
from sites.models import Venue

from . import compliance, meetings, terms
from .meeting_forms import YearForm
from .models import (
    Attendance,
    AttendanceStatus,
    CommitteeTerm,
    Meeting,
    MeetingKind,
    Organization,
    Role,
)


def organizations_kept_by(user):
    """The organisations whose records `user` keeps (User.keeps_records_of, as a query)."""
    staff = Organization.objects.visible_to(user)
    if user.organization_id and user.role == Role.ORGANIZER:
        return staff | Organization.objects.filter(
            Q(pk=user.organization_id) | Q(parent=user.organization_id)
        )
    return staff


@extend_schema_field(OpenApiTypes.INT)
class KeptOrganizationField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": "党组织 {pk_value} 不存在或您不负责记录它的组织生活。",
        "incorrect_type": "党组织应填编号（整数）。",
        "required": "请选择党组织。",
    }

    def get_queryset(self):
        return organizations_kept_by(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class VenueField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": "活动室 {pk_value} 不存在。",
        "incorrect_type": "活动室应填编号（整数）。",
    }

    def get_queryset(self):
        return Venue.objects.select_related("site")


@extend_schema_field(OpenApiTypes.INT)
class LecturerField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": "授课单位 {pk_value} 不存在。",
        "incorrect_type": "授课单位应填编号（整数）。",
    }

    def get_queryset(self):
        return Organization.objects.all()


class MeetingAttendanceSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["member", "member_name", "status", "reason"]


class AttendanceInputSerializer(serializers.Serializer):
    member = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="党员编号")
    status = serializers.ChoiceField(
        choices=AttendanceStatus.choices,
        error_messages={"invalid_choice": "出席情况应为 present、excused 或 absent。"},
    )
    reason = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class MeetingSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    place_label = serializers.CharField(read_only=True)
    attendance = MeetingAttendanceSerializer(source="attendances", many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id", "organization", "organization_name", "kind", "status", "start", "end", "venue", "place",
            "place_label", "topic", "presided_by", "given_by", "minutes", "late_entry", "recorded_at",
            "attendance",
        ]  # fmt: skip
        read_only_fields = fields


class MeetingWriteSerializer(serializers.Serializer):
    organization = KeptOrganizationField()
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    venue = VenueField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    topic = serializers.CharField(max_length=150)
    presided_by = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    given_by = LecturerField(required=False, allow_null=True, default=None)


class MeetingRecordSerializer(MeetingWriteSerializer):
    minutes = serializers.CharField(required=False, allow_blank=True, default="", max_length=20_000)
    attendance = AttendanceInputSerializer(many=True, required=False, default=list)

    def validate_attendance(self, rows):
        ids = [row["member"] for row in rows]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("同一党员只能填写一条出席情况。")
        return rows


class MeetingPlanSerializer(MeetingWriteSerializer):
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


def _write(operation, **kwargs):
    try:
        return operation(**kwargs)
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
        raise serializers.ValidationError(detail) from error


class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """三会一课. POST records a meeting that took place (with its attendance); POST plan/ plans one ahead,
    booking its room when `venue` is given."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["organization", "kind", "status"]

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .select_related("organization")
            .prefetch_related("attendances__member")
            .order_by("-start", "-pk")
        )

    def get_serializer_class(self):
        return {"create": MeetingRecordSerializer, "plan": MeetingPlanSerializer}.get(
            self.action, MeetingSerializer
        )

    def _shown(self, meeting):
        return Response(MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data, status=201)

    @extend_schema(request=MeetingRecordSerializer, responses={201: MeetingSerializer})
    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        attendance = {row["member"]: (row["status"], row["reason"]) for row in values.pop("attendance")}
        meeting = _write(meetings.record_meeting, by=request.user, attendance=attendance, **values)
        return self._shown(meeting)

    @extend_schema(request=MeetingPlanSerializer, responses={201: MeetingSerializer})
    @action(detail=False, methods=["post"])
    def plan(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = _write(meetings.plan_meeting, by=request.user, **data.validated_data)
        return self._shown(meeting)


class RuleResultSerializer(serializers.Serializer):
    meeting_kind = serializers.CharField()
    meeting_label = serializers.CharField()
    frequency = serializers.CharField()
    state = serializers.ChoiceField(choices=compliance.STATE_CHOICES)
    held = serializers.IntegerField()
    missed = serializers.ListField(child=serializers.CharField(), help_text="已结束而未召开的周期")


class TermSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    due_on = serializers.DateField(read_only=True)
    state = serializers.SerializerMethodField(
        help_text="overdue 已超期，due_soon 90 天内届满，空为在任或已换届"
    )

    class Meta:
        model = CommitteeTerm
        fields = [
            "id", "organization", "organization_name", "number", "elected_on", "years", "regular_due_on",
            "extended_until", "extension_reason", "due_on", "ended_on", "state",
        ]  # fmt: skip
        read_only_fields = fields

    def get_state(self, term) -> str:
        return term.state()


class ComplianceSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    organization_name = serializers.CharField()
    year = serializers.IntegerField()
    state = serializers.CharField()
    rules = RuleResultSerializer(many=True)
    term = TermSerializer(allow_null=True)


class OrganizationComplianceView(APIView):
    """One organisation's 三会一课 for a year (met / behind / due_soon per rule) and its active term."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="年度，默认今年")],
        responses={200: ComplianceSerializer},
    )
    def get(self, request, pk):
        organization = get_object_or_404(
            organizations_kept_by(request.user).select_related("area"), pk=parse_id(pk) or 0
        )
        form = YearForm(request.query_params or None)
        if form.is_bound and not form.is_valid():
            raise serializers.ValidationError(form.errors)
        year = form.chosen_year()
        (result,) = compliance.evaluate([organization], year=year)
        term = (
            CommitteeTerm.objects.filter(organization=organization)
            .active()
            .select_related("organization")
            .first()
        )
        body = {
            "organization": organization.pk, "organization_name": organization.name, "year": year,
            "state": result.state, "rules": result.rules, "term": term,
        }  # fmt: skip
        return Response(ComplianceSerializer(body).data)


class ElectSerializer(serializers.Serializer):
    organization = KeptOrganizationField()
    elected_on = serializers.DateField()
    number = serializers.IntegerField(
        min_value=1, max_value=100, required=False, allow_null=True, default=None
    )


class ExtendSerializer(serializers.Serializer):
    until = serializers.DateField(help_text="延期至")
    reason = serializers.CharField(max_length=200)


class TermViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """按期换届. POST registers an election (the active term ends that day); POST {id}/extend/ approves an
    extension (street or district staff). `state` is computed from the dates in Asia/Shanghai."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["organization"]

    def get_queryset(self):
        return (
            CommitteeTerm.objects.visible_to(self.request.user)
            .select_related("organization")
            .order_by("organization", "-number")
        )

    def get_serializer_class(self):
        return {"create": ElectSerializer, "extend": ExtendSerializer}.get(self.action, TermSerializer)

    @extend_schema(request=ElectSerializer, responses={201: TermSerializer})
    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        term = _write(terms.elect_committee, by=request.user, **data.validated_data)
        return Response(TermSerializer(term).data, status=201)

    @extend_schema(request=ExtendSerializer, responses={200: TermSerializer})
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        term = _write(terms.extend_term, term=self.get_object(), by=request.user, **data.validated_data)
        return Response(TermSerializer(term).data)


router = DefaultRouter()
router.include_root_view = False
router.register("meetings", MeetingViewSet, basename="api-meeting")
router.register("terms", TermViewSet, basename="api-term")

urlpatterns = [
    *router.urls,
    path(
        "organizations/<str:pk>/compliance/",
        OrganizationComplianceView.as_view(),
        name="api-organization-compliance",
    ),
]
