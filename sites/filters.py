"""The map's filters, shared by the map, the list page, the area pages and the API.

One FilterSet per list so the page's form and the API's query parameters can never disagree. A bad
value or an unknown parameter is an error that names the parameter (400 in the API, a form error on
the pages): a silently ignored filter would show a resident the wrong sites.
"""

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.choices import BaseChoiceIterator
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .geo import WALK_15_MIN_M
from .ids import parse_id
from .models import Area, AreaLevel, Site, SiteFunction, SiteTier

# Parameters that are not filters but that the pages and the API understand.
PAGING_PARAMS = frozenset({"page", "format"})


def _choices_hint(choices):
    return "、".join(f"{value}（{label}）" for value, label in choices)


class NearField(forms.CharField):
    """The `near` parameter, "31.30,120.62": a WGS-84 point as latitude,longitude."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        parts = value.split(",")
        try:
            lat, lng = (float(p) for p in parts)
        except ValueError:
            raise ValidationError(
                f"near 参数应写成“纬度,经度”，如 31.30,120.62；“{value}”无法识别。", code="invalid"
            ) from None
        if not -90 <= lat <= 90:
            raise ValidationError(f"near 参数的纬度应在 -90 到 90 之间，收到 {lat}。", code="range")
        if not -180 <= lng <= 180:
            raise ValidationError(f"near 参数的经度应在 -180 到 180 之间，收到 {lng}。", code="range")
        return lat, lng


@extend_schema_field(OpenApiTypes.STR)
class NearFilter(filters.Filter):
    field_class = NearField


class StrictBooleanFilter(filters.TypedChoiceFilter):
    """true or false, and nothing else: django-filter's BooleanFilter reads "maybe" as no filter at all."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "是"), ("false", "否")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        kwargs.setdefault("error_messages", {"invalid_choice": "应为 true 或 false；“%(value)s”无法识别。"})
        super().__init__(*args, **kwargs)


class StrictFilterSet(filters.FilterSet):
    """A FilterSet that also refuses query parameters it does not know (a typo'd filter would be ignored)."""

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }

    @property
    def errors(self):
        errors = self.form.errors
        known = set(self.filters) | PAGING_PARAMS
        for name in sorted(set(self.data) - known):
            errors.setdefault(
                name,
                self.form.error_class(
                    [
                        ValidationError(
                            f"未知的查询参数“{name}”。可用的参数：{'、'.join(sorted(self.filters))}。"
                        )
                    ]
                ),
            )
        return errors

    def is_valid(self):
        return self.is_bound and not self.errors

    @property
    def active_count(self):
        """How many filters are set: shown on the collapsed filter panel."""
        return sum(1 for name in self.filters if self.data.get(name))


class StrictFilterBackend(DjangoFilterBackend):
    """The API's default backend: lists filtered by `filterset_fields` refuse unknown or bad parameters."""

    filterset_base = StrictFilterSet


def _area_choice(level, param):
    label = AreaLevel(level).label
    return filters.ModelChoiceFilter(
        label=label,
        help_text=f"{label}的编号（见 /api/areas/?level={level}）",
        queryset=Area.objects.filter(level=level),
        field_name="area",  # documents the parameter as an area id in the OpenAPI schema
        method="filter_area",
        empty_label="全部",
        error_messages={
            "invalid_choice": f"{param} 参数应为{label}的编号；“%(value)s”不是有效的{label}。",
        },
    )


class _Options(BaseChoiceIterator):
    """A select's options read only when the form is rendered (the API never renders it)."""

    def __init__(self, areas):
        self.areas = areas

    def __iter__(self):
        yield "", "全部"
        yield from ((area.pk, area.name) for area in self.areas)


class SiteFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        district, town = cleaned.get("district"), cleaned.get("town")
        if district and town and not town.is_within(district):
            self.add_error("town", f"town 参数所指的“{town}”不在所选的“{district}”内。")
        return cleaned


class SiteFilter(StrictFilterSet):
    q = filters.CharFilter(
        label="名称",
        help_text="按名称查找（包含即可）",
        method="filter_name",
        max_length=50,
        error_messages={"max_length": "q 参数（名称）最多 50 个字。"},
    )
    district = _area_choice(AreaLevel.DISTRICT, "district")
    town = _area_choice(AreaLevel.TOWN, "town")
    area = filters.ModelChoiceFilter(
        label="区域",
        help_text="任一区域的编号：只列出该区域及其下级的阵地",
        queryset=Area.objects.all(),
        method="filter_area",
        error_messages={"invalid_choice": "area 参数应为区域的编号；“%(value)s”不是有效的区域。"},
    )
    tier = filters.ChoiceFilter(
        label="层级",
        choices=SiteTier.choices,
        empty_label="全部",
        error_messages={
            "invalid_choice": f"tier 参数应为 {_choices_hint(SiteTier.choices)}；“%(value)s”无法识别。"
        },
    )
    pioneer = filters.ChoiceFilter(
        label="先锋阵地",
        choices=[("1", "仅先锋阵地"), ("0", "非先锋阵地")],
        method="filter_pioneer",
        empty_label="全部",
        error_messages={
            "invalid_choice": "pioneer 参数应为 1（仅先锋阵地）或 0（非先锋阵地）；“%(value)s”无法识别。"
        },
    )
    function = filters.ChoiceFilter(
        label="功能",
        choices=SiteFunction.choices,
        method="filter_function",
        empty_label="全部",
        error_messages={
            "invalid_choice": (
                f"function 参数应为 {_choices_hint(SiteFunction.choices)}；“%(value)s”无法识别。"
            )
        },
    )
    near = NearFilter(
        label="附近",
        method="filter_near",
        help_text=(
            f"“纬度,经度”（WGS-84），如 31.30,120.62："
            f"只列出直线 {WALK_15_MIN_M} 米内（步行约 15 分钟）的阵地，由近及远。"
        ),
    )

    class Meta:
        model = Site
        fields = []
        form = SiteFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # The town options follow the chosen district, so the server-rendered form offers only its
        # towns; validation still accepts every town, so a town of another district is named as such.
        district = parse_id((self.data or {}).get("district", ""))
        towns = self.filters["town"].queryset.filter(parent_id=district) if district else []
        self.form.fields["town"].widget.choices = _Options(towns)

    def filter_name(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip())

    def filter_area(self, queryset, name, value):
        return queryset.within(value)

    def filter_pioneer(self, queryset, name, value):
        return queryset.filter(pioneer_batch__isnull=value != "1")

    def filter_function(self, queryset, name, value):
        return queryset.with_function(value)

    def filter_near(self, queryset, name, value):
        # The distance cut and the ordering happen in sites.geo.nearest (see the API view); here only
        # the parameter is validated, so that the other filters compose with it.
        return queryset

    @property
    def near_point(self):
        return self.form.cleaned_data.get("near") if self.is_valid() else None


class AreaFilter(StrictFilterSet):
    parent = filters.ModelChoiceFilter(
        label="上级区域",
        queryset=Area.objects.all(),
        error_messages={"invalid_choice": "parent 参数应为区域的编号；“%(value)s”不是有效的区域。"},
    )
    level = filters.ChoiceFilter(
        label="层级",
        choices=AreaLevel.choices,
        error_messages={
            "invalid_choice": f"level 参数应为 {_choices_hint(AreaLevel.choices)}；“%(value)s”无法识别。"
        },
    )

    class Meta:
        model = Area
        fields = []
