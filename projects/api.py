"""REST API for projects, funds and expenses: scoped by `visible_to`, rules in workflow.py and funds.py.

A refused step answers with the Chinese reason: 400 bad input, 403 wrong role, 404 out of area,
409 wrong order or not enough money.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from . import funds, planning, workflow
from .actors import may_edit
from .errors import WorkflowError
from .models import CommunityFund, Expense, Project, ProjectStep, Status

HTTP_STATUS = {
    WorkflowError.INVALID: status.HTTP_400_BAD_REQUEST,
    WorkflowError.FORBIDDEN: status.HTTP_403_FORBIDDEN,
    WorkflowError.NOT_FOUND: status.HTTP_404_NOT_FOUND,
    WorkflowError.CONFLICT: status.HTTP_409_CONFLICT,
}


def refused(error):
    return Response({"detail": error.message}, status=HTTP_STATUS[error.kind])


class Refused(exceptions.APIException):
    """A WorkflowError raised where a Response can't be returned (perform_create/perform_update)."""

    def __init__(self, error):
        self.status_code = HTTP_STATUS[error.kind]
        super().__init__(error.message)


class StepSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField()

    class Meta:
        model = ProjectStep
        fields = ["from_status", "to_status", "by", "at", "comment"]


class ProjectSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    remaining = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "community",
            "community_name",
            "year",
            "title",
            "category",
            "budget",
            "spent",
            "remaining",
            "status",
            "needs",
            "description",
            "partners",
            "expected_beneficiaries",
            "actual_beneficiaries",
            "showcase",
        ]
        # The links (共建单位, the needs answered) are set on the staff pages and in the admin.
        read_only_fields = ["community", "status", "spent", "showcase", "partners", "needs"]

    def validate(self, attrs):
        project, user = self.instance, self.context["request"].user
        # Someone who may change nothing at all is answered 403 by perform_update, not field by field.
        editable = planning.editable_fields(user, project) if project is not None else None
        if editable:
            refused = {
                name: planning.refusal(user, project, name)
                for name, value in attrs.items()
                if name not in editable and value != getattr(project, name)
            }
            if refused:
                raise serializers.ValidationError(refused)
        return attrs


class ProjectDetailSerializer(ProjectSerializer):
    steps = StepSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "steps"]


class AdvanceSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=Status.choices, error_messages={"invalid_choice": "没有“{input}”这个步骤。"}
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ProjectViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["year", "status", "category", "community", "showcase"]

    def get_queryset(self):
        queryset = Project.objects.visible_to(self.request.user).select_related("community")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("partners", "needs", "steps__by")
        return queryset.prefetch_related("partners", "needs")

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer

    # Parse and present only: planning.py decides and writes (the same functions as the pages and admin).

    def perform_create(self, serializer):
        user = self.request.user
        if user.area is None or not planning.may_create(user, user.area):
            raise PermissionDenied("只有社区工作人员可以为本社区新建项目。")
        serializer.instance = self._write(
            planning.create_project, community=user.area, **serializer.validated_data
        )

    def perform_update(self, serializer):
        # The same rule as the edit page: the community's own staff, until the project is published.
        if not may_edit(self.request.user, serializer.instance):
            raise PermissionDenied("只有本社区工作人员可以修改未公示的项目。")
        changes = dict(serializer.validated_data)
        serializer.instance = self._write(planning.edit_project, project=serializer.instance, changes=changes)

    def _write(self, operation, **kwargs):
        try:
            return operation(by=self.request.user, **kwargs)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        except WorkflowError as error:
            raise Refused(error) from error

    @extend_schema(request=AdvanceSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        """Take the project's next workflow step (the same rules as the staff pages and the admin)."""
        project = self.get_object()
        data = AdvanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            workflow.advance(project=project, by=request.user, **data.validated_data)
        except WorkflowError as error:
            return refused(error)
        return Response(ProjectDetailSerializer(self.get_queryset().get(pk=project.pk)).data)


class FundSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    available = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = CommunityFund
        fields = ["id", "community", "community_name", "year", "amount", "committed", "spent", "available"]


class FundViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = FundSerializer
    filterset_fields = ["year", "community"]

    def get_queryset(self):
        return CommunityFund.objects.visible_to(self.request.user).select_related("community")


class ExpenseSerializer(serializers.ModelSerializer):
    receipt_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Expense
        fields = [
            "id",
            "project",
            "date",
            "payee",
            "payee_is_person",
            "amount",
            "purpose",
            "receipt",
            "receipt_url",
            "status",
            "submitted_at",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = ["status", "submitted_at", "decided_at", "decision_note"]
        # The receipt is validated by funds.submit_expense (type by content, size); the URL is the
        # scoped staff download, not public media. The amount's model default is None, "no default",
        # which DRF reads as optional: it is required, as on the page's form.
        extra_kwargs = {"receipt": {"validators": [], "write_only": True}, "amount": {"required": True}}

    def validate_project(self, project):
        if not Project.objects.visible_to(self.context["request"].user).filter(pk=project.pk).exists():
            raise serializers.ValidationError("该项目不存在或不在您的负责区域内。")
        return project


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ExpenseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ExpenseSerializer
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["project", "status"]

    def get_queryset(self):
        return Expense.objects.visible_to(self.request.user).select_related("project")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            expense = funds.submit_expense(by=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        except WorkflowError as error:
            return refused(error)
        return Response(self.get_serializer(expense).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, operation):
        expense = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            expense = operation(expense=expense, by=request.user, note=data.validated_data["note"])
        except WorkflowError as error:
            return refused(error)
        return Response(self.get_serializer(expense).data)

    @extend_schema(request=DecisionSerializer, responses={200: ExpenseSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Street staff approve the expense; it never takes the project past its budget (409)."""
        return self._decide(request, funds.approve_expense)

    @extend_schema(request=DecisionSerializer, responses={200: ExpenseSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Street staff send the expense back with a reason."""
        return self._decide(request, funds.reject_expense)


router = DefaultRouter()
router.include_root_view = False
router.register("projects", ProjectViewSet, basename="api-project")
router.register("funds", FundViewSet, basename="api-fund")
router.register("expenses", ExpenseViewSet, basename="api-expense")
