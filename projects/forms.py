from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone

from members.models import Organization
from services.models import Need, NeedStatus
from sites.ids import MAX_ID, ModelMultipleIdChoiceField

from . import planning
from .models import YEAR_VALIDATORS, Category, Expense, Project, ProjectPhoto, Status


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "year",
            "title",
            "category",
            "budget",
            "needs",
            "description",
            "partners",
            "expected_beneficiaries",
            "actual_beneficiaries",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "partners": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
        }
        field_classes = {"partners": ModelMultipleIdChoiceField, "needs": ModelMultipleIdChoiceField}

    def __init__(self, *args, community, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year)
        # Partners: the organisations of the community's street and the units paired with that street;
        # a full city list (35,000 organisations) would be useless in a form.
        street = community.parent
        self.fields["partners"].queryset = Organization.objects.filter(
            Q(area__path__startswith=street.path) | Q(paired_street=street)
        ).order_by("name")
        # Needs: the community's own list (需求清单), published or answered, newest first.
        self.fields["needs"].queryset = (
            Need.objects.filter(community=community)
            .select_related("community")
            .exclude(status__in=[NeedStatus.WITHDRAWN, NeedStatus.EXPIRED])
            .order_by("-created_at")
        )
        if self.instance.pk:
            # What the person may not change now is shown, not offered (planning.editable_fields).
            editable = planning.editable_fields(user, self.instance)
            for name, field in self.fields.items():
                if name not in editable:
                    field.disabled = True
                    field.help_text = planning.refusal(user, self.instance, name)


class ClaimProjectForm(forms.Form):
    """An accepted claim on a need, turned into a project: what the plan needs beyond the need itself."""

    budget = forms.DecimalField(
        label="预算（元）", max_digits=12, decimal_places=2, min_value=0, max_value=Decimal("9999999999.99")
    )


class ExpenseForm(forms.ModelForm):
    class Meta:
        model = Expense
        fields = ["date", "payee", "payee_is_person", "amount", "purpose", "receipt"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "receipt": forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        }


class PhotoForm(forms.ModelForm):
    class Meta:
        model = ProjectPhoto
        fields = ["image", "caption"]


class StepForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    comment = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "通过"), ("reject", "退回")])
    note = forms.CharField(label="审核意见", required=False, max_length=200)


class YearField(forms.IntegerField):
    """?year= of the lists and dashboards: the years a project may have (Project.year's validators)."""

    def __init__(self, **kwargs):
        super().__init__(
            label="年度",
            validators=YEAR_VALIDATORS,
            error_messages={"invalid": "年度应为四位数字，如 2025。"},
            **kwargs,
        )


class ProjectFilterForm(forms.Form):
    year = YearField(required=False)
    status = forms.ChoiceField(label="步骤", choices=[("", "全部")] + Status.choices, required=False)
    category = forms.ChoiceField(label="类别", choices=[("", "全部")] + Category.choices, required=False)
    q = forms.CharField(label="项目名称", required=False, max_length=50)


class AreaYearForm(forms.Form):
    """?year=&area= of the dashboards; area is checked against what the viewer may see by the view."""

    year = YearField(required=False)
    area = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "invalid": "区域编号应为数字。",
            "min_value": "区域编号应为正整数。",
            "max_value": "区域编号过大，没有这个区域。",
        },
    )
