"""The activities API: list and publish, one activity, sign up, withdraw, check in, confirm attendance.

201 published, 400 bad input (field errors in Chinese), 403 not allowed, 409 the room is taken, or the
activity takes no sign-ups (cancelled, started, not for you) or you are already signed up. A sign-up
when the places are gone is not refused: it joins the waitlist (200, status "waitlisted").
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from members.models import Organization, PointRule
from sites.models import Site, Venue

from . import activities as operations
from .api import conflict_response, validation_response
from .booking import BookingConflict
from .models import Activity, ActivityKind, Eligibility, Signup
from .serializers import BoundedDateTimeField


class ActivitySerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    place = serializers.CharField(source="place_label", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    places_left = serializers.IntegerField(read_only=True)

    url = serializers.CharField(source="get_absolute_url", read_only=True)
    span_label = serializers.CharField(read_only=True)
    cover = serializers.ImageField(read_only=True, use_url=True)

    class Meta:
        model = Activity
        fields = [
            "id", "site", "site_name", "venue", "place", "title", "description", "kind", "kind_label",
            "start", "end", "span_label", "capacity", "places_taken", "places_left", "eligibility",
            "organization", "status", "booking", "point_rule", "cover", "attendance_confirmed_at", "url",
        ]  # fmt: skip


class ActivityCreateSerializer(serializers.Serializer):
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.active(), label="阵地")
    venue = serializers.PrimaryKeyRelatedField(
        queryset=Venue.objects.bookable(), required=False, allow_null=True, label="活动室（留空为户外）"
    )
    title = serializers.CharField(max_length=100, label="活动名称")
    description = serializers.CharField(required=False, allow_blank=True, default="", label="活动介绍")
    kind = serializers.ChoiceField(choices=ActivityKind.choices, label="活动类型")
    start = BoundedDateTimeField(label="开始时间")
    end = BoundedDateTimeField(label="结束时间")
    capacity = serializers.IntegerField(min_value=1, max_value=100_000, label="名额")
    eligibility = serializers.ChoiceField(choices=Eligibility.choices, default=Eligibility.ANYONE)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True, label="限定党组织"
    )
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    point_rule = serializers.PrimaryKeyRelatedField(
        queryset=PointRule.objects.all(), required=False, allow_null=True, label="积分标准"
    )


class SignupSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Signup
        fields = ["id", "activity", "status", "status_label", "created_at", "checked_in_at"]


class AttendanceSerializer(serializers.Serializer):
    attended = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        allow_null=True,
        default=None,
        max_length=100_000,
        label="实际到场的报名编号",
        help_text="省略则按扫码签到的名单确认；给出时以此为准（补签未扫码的人、去掉误签的人）。",
    )


def activities():
    return Activity.objects.select_related("site", "venue")


class ActivityListCreateView(generics.ListCreateAPIView):
    """GET: published activities still ahead, soonest first. POST: publish one (signed in)."""

    serializer_class = ActivitySerializer
    filterset_fields = ["site", "kind"]

    def get_permissions(self):
        return [permissions.IsAuthenticated() if self.request.method == "POST" else permissions.AllowAny()]

    def get_queryset(self):
        return activities().published().upcoming().order_by("start", "pk")

    @extend_schema(
        request=ActivityCreateSerializer,
        responses={
            201: ActivitySerializer,
            400: OpenApiResponse(description="输入有误或违反活动室预约规则"),
            409: OpenApiResponse(description="活动室该时段已被预约"),
        },
    )
    def post(self, request):
        incoming = ActivityCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            activity = operations.publish_activity(by=request.user, **incoming.validated_data)
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        except ValidationError as error:
            return validation_response(error)
        except BookingConflict as conflict:
            return conflict_response(conflict, incoming.validated_data["capacity"])
        return Response(ActivitySerializer(activity).data, status=201)


class ActivityDetailView(generics.RetrieveAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = ActivitySerializer

    def get_queryset(self):
        return activities()


class SignupActionView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def act(self, activity):
        raise NotImplementedError

    def post(self, request, pk):
        activity = get_object_or_404(Activity, pk=pk)
        try:
            signup = self.act(activity)
        except (operations.ActivityClosed, ValidationError) as error:
            detail = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
            return Response({"detail": detail}, status=status.HTTP_409_CONFLICT)
        return Response(SignupSerializer(signup).data)


@extend_schema(request=None, responses={200: SignupSerializer, 409: OpenApiResponse(description="不能报名")})
class SignupView(SignupActionView):
    """Sign up: a place while any is left, else the waitlist (status "waitlisted")."""

    def act(self, activity):
        return operations.sign_up(activity=activity, user=self.request.user)


@extend_schema(request=None, responses={200: SignupSerializer, 409: OpenApiResponse(description="不能取消")})
class CancelSignupView(SignupActionView):
    """Withdraw; the freed place goes to the first on the waitlist."""

    def act(self, activity):
        return operations.cancel_signup(activity=activity, user=self.request.user)[0]


@extend_schema(request=None, responses={200: SignupSerializer, 409: OpenApiResponse(description="不能签到")})
class CheckInView(SignupActionView):
    """Check in, from 30 minutes before the start to the end; a second check-in keeps the first time."""

    def act(self, activity):
        return operations.check_in(activity=activity, user=self.request.user)[0]


class AttendanceView(APIView):
    """确认出勤, once, after the start: the checked-in (as corrected by `attended`) earn the points."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=AttendanceSerializer,
        responses={
            200: SignupSerializer(many=True),
            400: OpenApiResponse(description="所选人员不在报名名单中"),
            403: OpenApiResponse(description="不是发布人或该区域的工作人员"),
            409: OpenApiResponse(description="活动未开始、已取消或出勤已确认"),
        },
    )
    def post(self, request, pk):
        activity = get_object_or_404(Activity.objects.select_related("site__area"), pk=pk)
        incoming = AttendanceSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            came = operations.confirm_attendance(
                activity=activity, by=request.user, attended=incoming.validated_data["attended"]
            )
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        except operations.ActivityClosed as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            return validation_response(error)
        return Response(SignupSerializer(came, many=True).data)
