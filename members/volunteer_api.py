"""REST API of volunteers, service records, points, rewards and redemptions.

Scoped by each family's `visible_to`; the writes call the same domain functions as the pages and the
admin. A refusal answers with the Chinese reason: 400 bad input, 403 wrong person, 404 out of area,
409 already decided or not enough points or stock.
"""

import django_filters as filters
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from sites.filters import StrictFilterSet

from . import rewards, service_records
from .errors import Refusal
from .models import PointRule, PointsEntry, Redemption, Reward, ServiceRecord, Volunteer, may_see_phone
from .models.points import MAX_SERVICE_PHOTOS
from .rewards import WITHIN, WITHIN_CHOICES
from .service_records import rules_for

HTTP_STATUS = {
    Refusal.INVALID: status.HTTP_400_BAD_REQUEST,
    Refusal.FORBIDDEN: status.HTTP_403_FORBIDDEN,
    Refusal.NOT_FOUND: status.HTTP_404_NOT_FOUND,
    Refusal.CONFLICT: status.HTTP_409_CONFLICT,
}


def refused(error):
    return Response({"detail": error.message}, status=HTTP_STATUS[error.kind])


def invalid(error):
    return Response(
        error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages},
        status=status.HTTP_400_BAD_REQUEST,
    )


def own_volunteer(user):
    volunteer = Volunteer.objects.select_related("community").filter(user=user).first()
    if volunteer is None:
        raise NotFound("您还没有登记为志愿者。")
    return volunteer


class VolunteerSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Volunteer
        fields = ["id", "name", "phone", "community", "community_name", "member", "points", "registered_at"]

    def get_phone(self, volunteer) -> str:
        viewer = self.context["request"].user
        shown = may_see_phone(viewer, owner_id=volunteer.user_id, area=volunteer.community)
        return volunteer.phone if shown else volunteer.masked_phone


class VolunteerViewSet(viewsets.ReadOnlyModelViewSet):
    """Volunteers: staff see their area's; a volunteer sees their own record."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = VolunteerSerializer
    filterset_fields = ["community"]

    def get_queryset(self):
        user = self.request.user
        seen = Volunteer.objects.visible_to(user)
        if user.is_authenticated:
            seen |= Volunteer.objects.filter(user=user)
        return seen.select_related("community").order_by("community__path", "name", "pk")


class ServiceRecordSerializer(serializers.ModelSerializer):
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    rule_name = serializers.CharField(source="rule.name", read_only=True)
    photos = serializers.ListField(
        child=serializers.FileField(),
        write_only=True,
        required=False,
        max_length=MAX_SERVICE_PHOTOS,
        help_text=f"服务照片，可多张（最多 {MAX_SERVICE_PHOTOS} 张），JPG 或 PNG，每张不超过 5 MB",
        error_messages={"max_length": f"每条服务记录最多上传 {MAX_SERVICE_PHOTOS} 张照片。"},
    )
    photo_urls = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "volunteer",
            "volunteer_name",
            "rule",
            "rule_name",
            "title",
            "place",
            "served_on",
            "units",
            "photos",
            "photo_urls",
            "status",
            "points",
            "reject_reason",
            "submitted_at",
            "decided_at",
        ]
        read_only_fields = ["volunteer", "status", "points", "reject_reason", "submitted_at", "decided_at"]

    def get_photo_urls(self, record) -> list[str]:
        """The private downloads for the volunteer and the verifying staff; each photo's content is
        checked by service_records.submit_service (type by content, size)."""
        return [photo.get_absolute_url() for photo in record.photos.all()]

    def validate_rule(self, rule):
        volunteer = own_volunteer(self.context["request"].user)
        if not rules_for(volunteer).filter(pk=rule.pk).exists():
            raise serializers.ValidationError(f"该积分标准不适用于{volunteer.community.name}。")
        return rule


class PointRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = PointRule
        fields = ["id", "code", "version", "name", "category", "unit", "points_per_unit", "monthly_cap"]


class ServiceRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, error_messages={"required": "请填写退回原因。"})


class ServiceRecordViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Service records: a volunteer submits theirs; the community's staff verify or reject."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ServiceRecordSerializer
    filterset_fields = ["status", "volunteer"]

    def get_queryset(self):
        return (
            ServiceRecord.objects.visible_to(self.request.user)
            .select_related("volunteer", "rule")
            .prefetch_related("photos")
            .order_by("-submitted_at", "-pk")
        )

    def create(self, request, *args, **kwargs):
        volunteer = own_volunteer(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            record = service_records.submit_service(
                volunteer=volunteer, by=request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            return invalid(error)
        except Refusal as error:
            return refused(error)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: PointRuleSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def rules(self, request):
        """The 积分标准 the signed-in volunteer may record a service under today."""
        rules = rules_for(own_volunteer(request.user)).order_by("code", "version")
        return Response(PointRuleSerializer(rules, many=True).data)

    @extend_schema(request=None, responses={200: ServiceRecordSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """审核通过: the points are posted at once (within the rule's monthly cap)."""
        try:
            record = service_records.verify_service(record=self.get_object(), by=request.user)
        except Refusal as error:
            return refused(error)
        return Response(self.get_serializer(record).data)

    @extend_schema(request=ServiceRejectSerializer, responses={200: ServiceRecordSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """退回 with a reason the volunteer reads."""
        record = self.get_object()
        data = ServiceRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            record = service_records.reject_service(record=record, by=request.user, **data.validated_data)
        except Refusal as error:
            return refused(error)
        return Response(self.get_serializer(record).data)


class PointsEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = PointsEntry
        fields = ["id", "volunteer", "kind", "amount", "source", "service_record", "redemption", "note", "at"]


class PointsViewSet(viewsets.ReadOnlyModelViewSet):
    """积分流水 (a volunteer's own, or staff's area's), newest first; `balance/` is one's own balance."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PointsEntrySerializer
    filterset_fields = ["volunteer", "kind"]

    def get_queryset(self):
        return PointsEntry.objects.visible_to(self.request.user).order_by("-at", "-pk")

    @extend_schema(
        responses={
            200: inline_serializer(
                "PointsBalance",
                {"volunteer": serializers.IntegerField(), "points": serializers.IntegerField()},
            )
        }
    )
    @action(detail=False, methods=["get"])
    def balance(self, request):
        volunteer = own_volunteer(request.user)
        return Response({"volunteer": volunteer.pk, "points": volunteer.points})


class RewardSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    nearness = serializers.CharField(
        source="nearness_label", read_only=True, help_text="志愿者登录时：本社区、本街道或本区（更远为空）"
    )

    class Meta:
        model = Reward
        fields = [
            "id",
            "name",
            "description",
            "price",
            "stock",
            "organization",
            "organization_name",
            "nearness",
        ]


class RewardFilter(StrictFilterSet):
    within = filters.ChoiceFilter(
        label="范围",
        choices=WITHIN_CHOICES[1:],
        method="filter_within",
        help_text="志愿者登录时：community（本社区）或 street（本街道）的联盟单位提供的",
        error_messages={"invalid_choice": "within 参数应为 community（本社区）或 street（本街道）。"},
    )

    class Meta:
        model = Reward
        fields = ["organization"]

    def filter_within(self, queryset, name, value):
        volunteer = self.request.volunteer
        if volunteer is None:
            raise ValidationError({"within": "按社区或街道筛选兑换项请先以志愿者身份登录。"})
        return queryset.within(volunteer.community, WITHIN[value])


class RewardViewSet(viewsets.ReadOnlyModelViewSet):
    """The rewards catalogue: every reward on offer, public; for a volunteer 离我最近 first."""

    permission_classes = [permissions.AllowAny]
    serializer_class = RewardSerializer
    filterset_class = RewardFilter

    def get_queryset(self):
        user = self.request.user
        self.request.volunteer = (
            Volunteer.objects.select_related("community").filter(user=user).first()
            if user.is_authenticated
            else None
        )
        return rewards.catalogue(volunteer=self.request.volunteer)


class RedemptionSerializer(serializers.ModelSerializer):
    reward_name = serializers.CharField(source="reward.name", read_only=True)

    class Meta:
        model = Redemption
        fields = [
            "id",
            "volunteer",
            "reward",
            "reward_name",
            "points",
            "status",
            "requested_at",
            "expires_at",
        ]
        read_only_fields = ["volunteer", "points", "status", "requested_at", "expires_at"]
        extra_kwargs = {"reward": {"queryset": Reward.objects.offered()}}


class RedemptionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """积分兑换: a volunteer redeems (points and stock reserved at once); the unit hands it over."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RedemptionSerializer
    filterset_fields = ["status", "reward"]

    def get_queryset(self):
        return (
            Redemption.objects.visible_to(self.request.user)
            .select_related("reward")
            .order_by("-requested_at", "-pk")
        )

    def create(self, request, *args, **kwargs):
        volunteer = own_volunteer(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            redemption = rewards.request_redemption(
                volunteer=volunteer, reward=serializer.validated_data["reward"], by=request.user
            )
        except Refusal as error:
            return refused(error)
        return Response(self.get_serializer(redemption).data, status=status.HTTP_201_CREATED)

    def _close(self, request, operation):
        try:
            redemption = operation(redemption=self.get_object(), by=request.user)
        except Refusal as error:
            return refused(error)
        return Response(self.get_serializer(redemption).data)

    @extend_schema(request=None, responses={200: RedemptionSerializer})
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        """The unit's staff confirm the volunteer received it."""
        return self._close(request, rewards.hand_over)

    @extend_schema(request=None, responses={200: RedemptionSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """The volunteer or the unit cancels: points and stock go back."""
        return self._close(request, rewards.cancel_redemption)


router = DefaultRouter()
router.include_root_view = False
router.register("volunteers", VolunteerViewSet, basename="api-volunteer")
router.register("service-records", ServiceRecordViewSet, basename="api-service-record")
router.register("points", PointsViewSet, basename="api-points")
router.register("rewards", RewardViewSet, basename="api-reward")
router.register("redemptions", RedemptionViewSet, basename="api-redemption")
