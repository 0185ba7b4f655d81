"""Matching suggestions in the API: a need's resources and a resource's needs, each with the parts of its
ranking (services.matching), and 不再推荐 (dismiss) with its undo (services.dismissals)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import dismissals, matching
from .dismissal_models import SuggestionDismissal
from .list_api import CONFLICT, NeedSerializer, ResourceSerializer, needs_for, run
from .list_models import Need, Resource, ResourceStatus


class SuggestionParts(serializers.Serializer):
    rank = serializers.IntegerField(label="名次")
    kind_fit = serializers.BooleanField(label="类型匹配")
    distance_m = serializers.IntegerField(allow_null=True, label="距离（米）")
    unit_claims_this_year = serializers.IntegerField(label="该单位本年已认领")
    capacity_left = serializers.IntegerField(label="剩余容量")


class SuggestionSerializer(SuggestionParts):
    resource = ResourceSerializer(label="资源")


class ResourceSuggestionSerializer(SuggestionParts):
    need = NeedSerializer(label="需求")


class NeedSuggestionsView(APIView):
    """The resources that could meet a need, best first, with each part of the ranking (services.matching):
    kind fit, distance in metres, the unit's claims this year (fewer ranks higher), capacity left.
    Dismissed ones are left out."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: SuggestionSerializer(many=True), 404: None})
    def get(self, request, pk):
        need = get_object_or_404(needs_for(request.user), pk=pk)
        found = matching.with_resources(matching.suggestions_for_need(need))
        return Response(SuggestionSerializer(found, many=True).data)


class ResourceSuggestionsView(APIView):
    """The open needs a published resource could meet, best first: kind fit, then distance in metres."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: ResourceSuggestionSerializer(many=True), 404: None})
    def get(self, request, pk):
        resource = get_object_or_404(
            Resource.objects.filter(status=ResourceStatus.PUBLISHED).select_related("street"), pk=pk
        )
        found = matching.with_needs(matching.suggestions_for_resource(resource))
        return Response(ResourceSuggestionSerializer(found, many=True).data)


class DismissalSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label="原因")


class DismissedSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuggestionDismissal
        fields = ["need", "resource", "at", "reason"]


class DismissalView(APIView):
    """POST: 不再推荐 this resource for this need (its community's staff, or above; `reason` optional).
    DELETE: undo it. Already dismissed / not dismissed → 409."""

    permission_classes = [permissions.IsAuthenticated]

    def pair(self, request, pk, resource):
        need = get_object_or_404(Need.objects.visible_to(request.user).select_related("community"), pk=pk)
        return need, get_object_or_404(Resource, pk=resource)

    @extend_schema(
        request=DismissalSerializer,
        responses={
            201: DismissedSerializer,
            400: OpenApiResponse(description="输入有误"),
            403: None,
            404: None,
            409: CONFLICT,
        },
    )
    def post(self, request, pk, resource):
        need, resource = self.pair(request, pk, resource)
        incoming = DismissalSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        reason = incoming.validated_data["reason"]
        return run(
            lambda: dismissals.dismiss_suggestion(
                need=need, resource=resource, by=request.user, reason=reason
            ),
            DismissedSerializer,
            created=True,
        )

    @extend_schema(request=None, responses={204: None, 403: None, 404: None, 409: CONFLICT})
    def delete(self, request, pk, resource):
        need, resource = self.pair(request, pk, resource)
        return run(lambda: dismissals.restore_suggestion(need=need, resource=resource, by=request.user), None)
